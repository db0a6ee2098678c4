package dev.diag.bench.engine;

import dev.diag.bench.startup.FreshJvm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a profiler costs a busy application: {@link EngineWorkload} in fresh JVMs without an agent and under each
 * configuration of a set, async-profiler's ({@code ASYNC_PROFILER=/path/libasyncProfiler.so}) included, all
 * interleaved round by round; prints each configuration's median process CPU per op and its ratio to no agent.
 * Sets: {@code engine} (cpu and allocs: diag's native engine, JFR, async-profiler), {@code cost} (the defaults'
 * cost line alone: no agent, diag's defaults, and async-profiler by the same timer and by its own default, so that more
 * rounds fit in the same time), {@code virtual} (the same configurations on {@link VirtualSwitchWorkload}: labelled
 * virtual threads switching carriers, the mount hooks' worst case; JDK 21+) and {@code contention} (block and mutex
 * at rate 1 and at Go's production rates, each path alone, JFR's monitor events alone, async-profiler's
 * {@code lock=0}).
 *
 * <pre>ASYNC_PROFILER=... java -cp benchmarks/target/benchmarks.jar dev.diag.bench.engine.EngineCost agent/target/diag.jar ROUNDS MS [engine|cost|virtual|contention]</pre>
 *
 * For a before/after comparison in one interleaved run, give two jars, {@code old.jar,new.jar}: each diag configuration
 * of {@code contention}, and the native engine's of {@code engine}, then runs with both, named {@code [1]} and
 * {@code [2]} ({@code engine=jfr} with the last).
 */
public final class EngineCost {
    public static void main(String[] args) throws Exception {
        String jar = args[0];
        int rounds = Integer.parseInt(args[1]);
        String ms = args.length > 2 ? args[2] : "20000";
        String set = args.length > 3 ? args[3] : "engine";
        Path dir = Files.createTempDirectory("diag-engine");
        String asprof = System.getenv("ASYNC_PROFILER");
        Map<String, List<String>> configs = switch (set) {
            case "engine" -> engine(jar, dir, asprof);
            case "cost", "virtual" -> cost(jar, dir, asprof);
            case "contention" -> contention(jar, dir, asprof);
            default -> throw new IllegalArgumentException(
                    "unknown set " + set + " (engine, cost, virtual, contention)");
        };
        String workload = (set.equals("virtual") ? VirtualSwitchWorkload.class : EngineWorkload.class).getName();
        Map<String, List<Double>> perOp = new LinkedHashMap<>();
        for (String name : configs.keySet()) perOp.put(name, new ArrayList<>());
        // Per configuration and thread group (ThreadGroupsCpu): CPU ns per op, one value per round.
        Map<String, Map<String, List<Double>>> groupPerOp = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (var c : configs.entrySet()) {
                FreshJvm.Run run = FreshJvm.run(c.getValue(), workload, ms);
                String line = run.output().stream().filter(l -> l.startsWith("ops=")).findFirst().orElse(null);
                if (line == null) {
                    System.err.println(c.getKey() + ": " + run.output());
                    continue;
                }
                String[] parts = line.split(" ");
                long ops = Long.parseLong(parts[0].substring(4));
                long cpu = Long.parseLong(parts[1].substring(7));
                perOp.get(c.getKey()).add(cpu * 1e6 / ops);
                run.output().stream().filter(l -> l.startsWith("groups ")).findFirst().ifPresent(g -> {
                    for (String kv : g.substring("groups ".length()).split(" ")) {
                        String[] p = kv.split("=");
                        groupPerOp.computeIfAbsent(c.getKey(), k -> new LinkedHashMap<>())
                                .computeIfAbsent(p[0], k -> new ArrayList<>()).add(Long.parseLong(p[1]) * 1e6 / ops);
                    }
                });
                System.out.printf("round %d %-46s ops=%d cpu-ms=%d ns/op=%.1f%n", r + 1, c.getKey(), ops, cpu,
                        cpu * 1e6 / ops);
            }
        }
        double base = median(perOp.get("no agent"));
        System.out.printf("%n%-46s %10s %8s%n", "median of " + rounds, "CPU ns/op", "vs none");
        for (var e : perOp.entrySet()) {
            double m = median(e.getValue());
            System.out.printf("%-46s %10.1f %8.3f%n", e.getKey(), m, m / base);
        }
        System.out.printf("%n%-46s", "CPU ns/op by thread group, median");
        for (String g : ThreadGroupsCpu.GROUPS) System.out.printf(" %8s", g);
        System.out.println();
        for (var e : groupPerOp.entrySet()) {
            System.out.printf("%-46s", e.getKey());
            for (String g : ThreadGroupsCpu.GROUPS) {
                System.out.printf(" %8.1f", median(e.getValue().getOrDefault(g, List.of())));
            }
            System.out.println();
        }
    }

    private static Map<String, List<String>> engine(String jar, Path dir, String asprof) {
        Map<String, List<String>> configs = new LinkedHashMap<>();
        configs.put("no agent", List.of());
        String[] jars = jar.split(",");
        for (int j = 0; j < jars.length; j++) {
            String tag = jars.length == 1 ? "" : " [" + (j + 1) + "]";
            configs.put("diag out=DIR (cpu,allocs), engine=auto" + tag,
                    List.of("-javaagent:" + jars[j] + "=out=" + dir.resolve("a" + j)));
        }
        configs.put("diag out=DIR (cpu,allocs), engine=jfr",
                List.of("-javaagent:" + jars[jars.length - 1] + "=out=" + dir.resolve("j") + ",engine=jfr"));
        if (asprof != null) {
            configs.put("async-profiler cpu,interval=10ms", List.of("-agentpath:" + asprof
                    + "=start,event=cpu,interval=10ms,jfr,file=" + dir.resolve("ap1.jfr")));
            configs.put("async-profiler cpu,interval=1ms,alloc", List.of("-agentpath:" + asprof
                    + "=start,event=cpu,interval=1ms,alloc,jfr,file=" + dir.resolve("ap2.jfr")));
            configs.put("async-profiler ctimer,interval=1ms,alloc", List.of("-agentpath:" + asprof
                    + "=start,event=ctimer,interval=1ms,alloc,jfr,file=" + dir.resolve("ap4.jfr")));
        }
        return configs;
    }

    /** The engine set without JFR and without async-profiler's perf_events at 1 kHz, both measured well above. */
    private static Map<String, List<String>> cost(String jar, Path dir, String asprof) {
        Map<String, List<String>> configs = engine(jar, dir, asprof);
        configs.keySet().removeIf(name -> name.contains("engine=jfr") || name.contains("cpu,interval=1ms"));
        return configs;
    }

    /** Block and mutex: where their cost lies, path by path (the split the block/mutex cost issue asks for). */
    private static Map<String, List<String>> contention(String jar, Path dir, String asprof) throws Exception {
        Map<String, List<String>> configs = new LinkedHashMap<>();
        configs.put("no agent", List.of());
        String[] jars = jar.split(",");
        Map<String, String> rates = new LinkedHashMap<>();
        rates.put("diag block+mutex, rate 1", "block.rate=1,mutex.fraction=1");
        rates.put("diag block+mutex, 10ms/100", "block.rate=10000000,mutex.fraction=100");
        rates.put("diag block rate 1 alone", "block.rate=1,mutex.fraction=0");
        rates.put("diag mutex fraction 1 alone", "block.rate=0,mutex.fraction=1");
        rates.put("diag block on, never sampled", "block.rate=1000000000000,mutex.fraction=0");
        for (var r : rates.entrySet()) {
            for (int j = 0; j < jars.length; j++) {
                String name = jars.length == 1 ? r.getKey() : r.getKey() + " [" + (j + 1) + "]";
                configs.put(name, List.of("-javaagent:" + jars[j] + "=profiles=block,mutex,out="
                        + dir.resolve("c" + configs.size()) + "," + r.getValue()));
            }
        }
        Path jfc = dir.resolve("monitors.jfc");
        Files.writeString(jfc, """
                <?xml version="1.0" encoding="UTF-8"?>
                <configuration version="2.0">
                  <event name="jdk.JavaMonitorEnter"><setting name="enabled">true</setting>
                    <setting name="stackTrace">true</setting><setting name="threshold">0 ms</setting></event>
                  <event name="jdk.JavaMonitorWait"><setting name="enabled">true</setting>
                    <setting name="stackTrace">true</setting><setting name="threshold">0 ms</setting></event>
                </configuration>
                """);
        configs.put("JFR monitor events alone (file)", List.of("-XX:StartFlightRecording=settings=" + jfc + ",filename="
                + dir.resolve("m.jfr")));
        if (asprof != null) {
            configs.put("async-profiler lock=0", List.of("-agentpath:" + asprof
                    + "=start,event=lock,lock=0,jfr,file=" + dir.resolve("ap3.jfr")));
        }
        return configs;
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.isEmpty() ? Double.NaN : s.get(s.size() / 2);
    }
}

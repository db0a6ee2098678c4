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
 * What the sampling engine costs a busy application: {@link EngineWorkload} in fresh JVMs without an agent, under
 * diag (native engine, and JFR), and under async-profiler ({@code ASYNC_PROFILER=/path/libasyncProfiler.so}), all
 * interleaved round by round; prints each configuration's median process CPU per op and its ratio to no agent.
 *
 * <pre>ASYNC_PROFILER=... java -cp benchmarks/target/benchmarks.jar dev.diag.bench.engine.EngineCost agent/target/diag.jar ROUNDS MS</pre>
 */
public final class EngineCost {
    public static void main(String[] args) throws Exception {
        String jar = args[0];
        int rounds = Integer.parseInt(args[1]);
        String ms = args.length > 2 ? args[2] : "20000";
        Path dir = Files.createTempDirectory("diag-engine");
        Map<String, List<String>> configs = new LinkedHashMap<>();
        configs.put("no agent", List.of());
        configs.put("diag out=DIR (cpu,allocs), engine=auto", List.of("-javaagent:" + jar + "=out=" + dir.resolve("a")));
        configs.put("diag out=DIR (cpu,allocs), engine=jfr",
                List.of("-javaagent:" + jar + "=out=" + dir.resolve("j") + ",engine=jfr"));
        String asprof = System.getenv("ASYNC_PROFILER");
        if (asprof != null) {
            configs.put("async-profiler cpu,interval=10ms", List.of("-agentpath:" + asprof
                    + "=start,event=cpu,interval=10ms,jfr,file=" + dir.resolve("ap1.jfr")));
            configs.put("async-profiler cpu,interval=1ms,alloc", List.of("-agentpath:" + asprof
                    + "=start,event=cpu,interval=1ms,alloc,jfr,file=" + dir.resolve("ap2.jfr")));
        }
        Map<String, List<Double>> perOp = new LinkedHashMap<>();
        for (String name : configs.keySet()) perOp.put(name, new ArrayList<>());
        for (int r = 0; r < rounds; r++) {
            for (var c : configs.entrySet()) {
                FreshJvm.Run run = FreshJvm.run(c.getValue(), EngineWorkload.class.getName(), ms);
                String line = run.output().stream().filter(l -> l.startsWith("ops=")).findFirst().orElse(null);
                if (line == null) {
                    System.err.println(c.getKey() + ": " + run.output());
                    continue;
                }
                String[] parts = line.split(" ");
                long ops = Long.parseLong(parts[0].substring(4));
                long cpu = Long.parseLong(parts[1].substring(7));
                perOp.get(c.getKey()).add(cpu * 1e6 / ops);
                System.out.printf("round %d %-42s ops=%d cpu-ms=%d ns/op=%.1f%n", r + 1, c.getKey(), ops, cpu,
                        cpu * 1e6 / ops);
            }
        }
        double base = median(perOp.get("no agent"));
        System.out.printf("%n%-42s %10s %8s%n", "median of " + rounds, "CPU ns/op", "vs none");
        for (var e : perOp.entrySet()) {
            double m = median(e.getValue());
            System.out.printf("%-42s %10.1f %8.3f%n", e.getKey(), m, m / base);
        }
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.isEmpty() ? Double.NaN : s.get(s.size() / 2);
    }
}

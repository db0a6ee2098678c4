package dev.diag.bench.startup;

import dev.diag.bench.Medians;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What diag adds to a short command: {@link Hello} in fresh JVMs under each option set, with JFR (and async-profiler
 * when {@code ASYNC_PROFILER=/path/libasyncProfiler.so} is set) in the same rounds, interleaved; prints the median
 * whole-process wall time and CPU of each, and what it adds to the run without an agent. Several jars, comma-separated,
 * compare builds in the same rounds ({@code diag#1}, {@code diag#2}, ...).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.diag.bench.startup.StartupCost agent/target/diag.jar[,other.jar] ROUNDS</pre>
 */
public final class StartupCost {
    private static final String EVERY_PROFILE =
            "profiles=cpu,heap,allocs,block,mutex,goroutine,threadcreate,block.rate=1,mutex.fraction=1";

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[1]);
        Path dir = Files.createTempDirectory("diag-startup");
        Map<String, List<String>> configurations = new LinkedHashMap<>();
        configurations.put("no agent", List.of());
        configurations.put("JFR -XX:StartFlightRecording", List.of("-XX:StartFlightRecording=filename=" + dir.resolve("jfr.jfr")));
        String asprof = System.getenv("ASYNC_PROFILER");
        if (asprof != null) {
            configurations.put("async-profiler cpu,alloc,lock", List.of("-agentpath:" + asprof
                    + "=start,event=cpu,alloc,lock,jfr,file=" + dir.resolve("ap.jfr")));
        }
        String[] jars = args[0].split(",");
        for (int j = 0; j < jars.length; j++) {
            String jar = jars[j];
            String name = jars.length == 1 ? "diag" : "diag#" + (j + 1);
            Path d = dir.resolve(name);
            configurations.put(name + ", no options", List.of("-javaagent:" + jar));
            configurations.put(name + " out=DIR (cpu,allocs)", List.of("-javaagent:" + jar + "=out=" + d.resolve("out")));
            configurations.put(name + " out=DIR, every profile", List.of("-javaagent:" + jar + "=out=" + d.resolve("all")
                    + "," + EVERY_PROFILE));
            configurations.put(name + " trace=F.trace", List.of("-javaagent:" + jar + "=trace=" + d.resolve("t.trace")));
            configurations.put(name + " every profile + http + trace", List.of("-javaagent:" + jar + "=out="
                    + d.resolve("http") + "," + EVERY_PROFILE + ",http=127.0.0.1:0,trace=" + d.resolve("h.trace")));
        }

        Map<String, List<long[]>> runs = new LinkedHashMap<>();
        for (String name : configurations.keySet()) runs.put(name, new ArrayList<>());
        for (int r = 0; r < rounds; r++) {
            for (var c : configurations.entrySet()) {
                FreshJvm.Run run = FreshJvm.run(c.getValue(), Hello.class.getName());
                if (run.exitCode() != 0 || !run.output().contains("hello")) {
                    System.err.println(c.getKey() + ": exit " + run.exitCode() + " " + run.output());
                }
                runs.get(c.getKey()).add(new long[] {run.wallMs(), run.cpuMs()});
            }
        }
        long baseWall = Medians.of(runs.get("no agent"), 0);
        long baseCpu = Medians.of(runs.get("no agent"), 1);
        System.out.printf("%-36s %8s %8s %8s %8s%n", "median of " + rounds, "wall ms", "added", "cpu ms", "added");
        for (var e : runs.entrySet()) {
            long wall = Medians.of(e.getValue(), 0);
            long cpu = Medians.of(e.getValue(), 1);
            System.out.printf("%-36s %8d %+8d %8d %+8d%n", e.getKey(), wall, wall - baseWall, cpu, cpu - baseCpu);
        }
    }
}

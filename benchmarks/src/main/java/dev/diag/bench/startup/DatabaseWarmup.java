package dev.diag.bench.startup;

import dev.diag.bench.Medians;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What diag costs an application in its first seconds: {@link H2Clients} in fresh JVMs, without an agent, under JFR
 * ({@code settings=profile}), async-profiler (when {@code ASYNC_PROFILER=/path/libasyncProfiler.so} is set) and under
 * diag's option sets, interleaved; prints the median rows processed and their
 * ratio to the run without an agent. Several jars, comma-separated, compare builds in the same rounds.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.diag.bench.startup.DatabaseWarmup agent/target/diag.jar[,other.jar] ROUNDS SECONDS</pre>
 */
public final class DatabaseWarmup {
    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[1]);
        String seconds = args[2];
        Path dir = Files.createTempDirectory("diag-warmup");
        Map<String, List<String>> configurations = new LinkedHashMap<>();
        configurations.put("no agent", List.of());
        configurations.put("JFR settings=profile", List.of("-XX:StartFlightRecording=settings=profile,filename="
                + dir.resolve("x.jfr")));
        String asprof = System.getenv("ASYNC_PROFILER");
        if (asprof != null) {
            configurations.put("async-profiler cpu,alloc,lock=0", List.of("-agentpath:" + asprof
                    + "=start,event=cpu,alloc,lock=0,jfr,file=" + dir.resolve("ap.jfr")));
        }
        String[] jars = args[0].split(",");
        for (int j = 0; j < jars.length; j++) {
            String agent = "-javaagent:" + jars[j] + "=";
            String name = jars.length == 1 ? "diag" : "diag#" + (j + 1);
            Path d = dir.resolve(name);
            configurations.put(name + " out=DIR (cpu,allocs)", List.of(agent + "out=" + d.resolve("out")));
            configurations.put(name + " out=DIR block,mutex at rate 1", List.of(agent + "out=" + d.resolve("bm")
                    + ",profiles=cpu,allocs,block,mutex,block.rate=1,mutex.fraction=1"));
            configurations.put(name + " trace=F.trace", List.of(agent + "trace=" + d.resolve("t.trace")));
        }

        Map<String, List<Long>> rows = new LinkedHashMap<>();
        for (String name : configurations.keySet()) rows.put(name, new ArrayList<>());
        for (int r = 0; r < rounds; r++) {
            for (var c : configurations.entrySet()) {
                FreshJvm.Run run = FreshJvm.run(c.getValue(), H2Clients.class.getName(), seconds, "6");
                long n = run.value("rows");
                if (n < 0) System.err.println(c.getKey() + ": exit " + run.exitCode() + " " + run.output());
                rows.get(c.getKey()).add(n);
            }
        }
        long base = Medians.of(rows.get("no agent"));
        System.out.printf("%-40s %12s %6s   %s%n", seconds + " s, median of " + rounds, "rows", "ratio", "runs");
        for (var e : rows.entrySet()) {
            long m = Medians.of(e.getValue());
            System.out.printf("%-40s %12d %6.2f   %s%n", e.getKey(), m, (double) m / base, e.getValue());
        }
    }
}

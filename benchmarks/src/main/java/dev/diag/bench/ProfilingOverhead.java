package dev.diag.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@link FixedWork} in fresh JVMs, interleaved: without the agent, with it idle ({@code log=info}), and with
 * cpu/allocs/heap profiling ({@code out=DIR,profiles=cpu,allocs,heap}); prints the median time to {@code main} and,
 * when rounds > 0, the median process CPU and wall time of the fixed work.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.diag.bench.ProfilingOverhead agent/target/diag.jar RUNS ROUNDS</pre>
 */
public final class ProfilingOverhead {
    public static void main(String[] args) throws Exception {
        String jar = args[0];
        int runs = Integer.parseInt(args[1]);
        String rounds = args[2];
        String out = System.getProperty("java.io.tmpdir") + "/diag-overhead";
        String[] names = {"no agent", "agent, nothing on", "agent, out= cpu,allocs,heap"};
        String[] agents = {null, "-javaagent:" + jar + "=log=info", "-javaagent:" + jar + "=out=" + out
                + ",profiles=cpu,allocs,heap"};
        List<List<long[]>> results = new ArrayList<>();
        for (int i = 0; i < names.length; i++) results.add(new ArrayList<>());
        for (int r = 0; r < runs; r++) {
            for (int i = 0; i < names.length; i++) results.get(i).add(run(agents[i], rounds));
        }
        for (int i = 0; i < names.length; i++) {
            System.out.printf("%-32s main at %4d ms   work cpu %6d ms   wall %6d ms%n", names[i],
                    Medians.of(results.get(i), 0), Medians.of(results.get(i), 1), Medians.of(results.get(i), 2));
        }
    }

    private static long[] run(String agent, String rounds) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + "/bin/java");
        if (agent != null) cmd.add(agent);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FixedWork.class.getName(), rounds));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        long[] v = new long[3];
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line; (line = in.readLine()) != null; ) {
                String[] w = line.split(" ");
                if (w[0].equals("main-at-ms")) v[0] = Long.parseLong(w[1]);
                if (w[0].equals("work-cpu-ms")) {
                    v[1] = Long.parseLong(w[1]);
                    v[2] = Long.parseLong(w[3]);
                }
            }
        }
        p.waitFor();
        return v;
    }

}

package dev.diag.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The overhead harness: runs {@link ContendedWorkload} in fresh JVMs without the agent, with it at defaults, and with
 * {@code block.rate=1,mutex.fraction=1}, interleaved round by round (so machine noise hits all alike), and
 * prints each configuration's median ops and its ratio to the bare JVM; for both workload shapes ({@code hammer},
 * {@code holds}), or the one named as fourth argument. A fifth argument, {@code lockorder}, adds
 * {@code lockorder=1} alone and with {@code mutex.fraction=1}.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.diag.bench.ContentionOverhead agent/target/diag.jar 5 3000</pre>
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.diag.bench.ContentionOverhead agent/target/diag.jar 5 3000 hammer lockorder</pre>
 */
public final class ContentionOverhead {
    public static void main(String[] args) throws Exception {
        String jar = args[0];
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String ms = args.length > 2 ? args[2] : "3000";
        String[] shapes = args.length > 3 ? new String[] {args[3]} : new String[] {"hammer", "holds"};
        boolean lockOrder = args.length > 4 && args[4].equals("lockorder");
        for (String shape : shapes) compare(jar, rounds, ms, shape, lockOrder);
    }

    private static void compare(String jar, int rounds, String ms, String shape, boolean lockOrder) throws Exception {
        String[][] configs = {
                {"no agent"},
                {"agent, defaults", "-javaagent:" + jar},
                {"agent, block.rate=1,mutex.fraction=1", "-javaagent:" + jar + "=block.rate=1,mutex.fraction=1"}};
        if (lockOrder) {
            configs = new String[][] {configs[0], configs[1],
                    {"agent, lockorder=1", "-javaagent:" + jar + "=lockorder=1"},
                    {"agent, mutex.fraction=1", "-javaagent:" + jar + "=mutex.fraction=1"},
                    {"agent, mutex.fraction=1,lockorder=1", "-javaagent:" + jar + "=mutex.fraction=1,lockorder=1"}};
        }
        long[][] ops = new long[configs.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int c = 0; c < configs.length; c++) {
                ops[c][r] = run(Arrays.copyOfRange(configs[c], 1, configs[c].length), ms, shape);
            }
        }
        long base = Medians.of(ops[0]);
        for (int c = 0; c < configs.length; c++) {
            long m = Medians.of(ops[c]);
            System.out.printf("%-7s %-40s median ops %,d  ratio %.4f  runs %s%n", shape, configs[c][0], m, (double) m / base,
                    Arrays.toString(ops[c]));
        }
    }

    private static long run(String[] jvmArgs, String ms, String shape) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + "/bin/java");
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ContendedWorkload.class.getName(), ms, shape));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        long ops = -1;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("ops=")) ops = Long.parseLong(line.substring(4).trim());
            }
        }
        p.waitFor();
        return ops;
    }
}

package dev.diag.bench.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * What an idle JVM with many parked threads costs with and without the agent: starts this class's {@link Parked}
 * target once per configuration (no agent, then each agent option string), lets it settle, and prints the process
 * CPU time it used over the measured seconds (user + system, from {@code /proc}), as a share of one core.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.diag.bench.http.IdleCost agent/target/diag.jar 2000 60 \
 *     http=127.0.0.1:0
 * </pre>
 */
public final class IdleCost {
    private static final Duration SETTLE = Duration.ofSeconds(15);

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        List<String> configurations = new ArrayList<>();
        configurations.add(null);
        for (int i = 3; i < args.length; i++) configurations.add(args[i]);
        for (String options : configurations) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            if (options != null) cmd.add("-javaagent:" + jar.toAbsolutePath() + "=" + options);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Parked.class.getName(),
                    Integer.toString(threads)));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try {
                Thread.sleep(SETTLE.toMillis());
                long before = cpuTicks(p.pid());
                Thread.sleep(seconds * 1000L);
                long used = cpuTicks(p.pid()) - before;
                double cpuSeconds = used / 100.0; // USER_HZ
                System.out.printf("%-30s %6.2f s CPU in %d s = %5.2f %% of a core%n",
                        options == null ? "no agent" : options, cpuSeconds, seconds, 100 * cpuSeconds / seconds);
            } finally {
                p.destroy();
                p.waitFor();
            }
        }
    }

    /** utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
    private static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** The target: {@code args[0]} daemon threads parked forever, and a main thread that sleeps. */
    public static final class Parked {
        public static void main(String[] args) throws Exception {
            CountDownLatch never = new CountDownLatch(1);
            for (int i = 0; i < Integer.parseInt(args[0]); i++) {
                Thread t = new Thread(() -> {
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "parked-" + i);
                t.setDaemon(true);
                t.start();
            }
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}

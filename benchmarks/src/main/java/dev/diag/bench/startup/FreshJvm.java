package dev.diag.bench.startup;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One measured run of a fresh JVM: its whole-process wall time, and its CPU (user + system, children included) when
 * {@code /usr/bin/time} is there to read it from the kernel after the process is gone.
 */
public final class FreshJvm {
    private static final String TIME = "/usr/bin/time";
    private static final String CPU_LINE = "fresh-jvm-cpu ";

    /** What one run took and printed; {@code cpuMs} is -1 without {@code /usr/bin/time}. */
    public record Run(long wallMs, long cpuMs, int exitCode, List<String> output) {
        /** Returns the value after {@code key} on the first line that starts with it, or -1. */
        public long value(String key) {
            for (String line : output) {
                if (line.startsWith(key + " ")) return Long.parseLong(line.substring(key.length() + 1).trim());
            }
            return -1;
        }
    }

    private FreshJvm() {}

    /** Runs {@code java [jvmArgs] -cp (this class path) mainClass args} to its end. */
    public static Run run(List<String> jvmArgs, String mainClass, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        boolean timed = new File(TIME).canExecute();
        if (timed) cmd.addAll(List.of(TIME, "-f", CPU_LINE + "%U %S"));
        cmd.add(System.getProperty("java.home") + "/bin/java");
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) output.add(line);
        }
        int exit = p.waitFor();
        long wallMs = (System.nanoTime() - t0) / 1_000_000;
        long cpuMs = -1;
        for (String line : output) {
            if (line.startsWith(CPU_LINE)) {
                String[] userSys = line.substring(CPU_LINE.length()).trim().split(" ");
                cpuMs = Math.round((Double.parseDouble(userSys[0]) + Double.parseDouble(userSys[1])) * 1000);
            }
        }
        output.removeIf(line -> line.startsWith(CPU_LINE));
        return new Run(wallMs, cpuMs, exit, output);
    }
}

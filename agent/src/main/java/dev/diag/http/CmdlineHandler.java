package dev.diag.http;

import dev.diag.base.Options;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Serves {@code /cmdline}: the JVM's command line, arguments joined by NUL bytes, no trailing newline (Go's os.Args). */
final class CmdlineHandler implements Endpoint {
    private final String body;

    CmdlineHandler(List<String> args) {
        this.body = String.join("\0", args);
    }

    @Override
    public void serve(PprofExchange ex) throws IOException {
        ex.send(200, GoPprof.TEXT_PLAIN, null, body);
    }

    /**
     * Returns the JVM's arguments as the OS started it, as Go's {@code os.Args}: on Linux the kernel's copy of argv
     * ({@code /proc/self/cmdline}, where argv[0] is what was typed, such as {@code java} or a symlink); elsewhere the
     * executable's path and the arguments from {@code ProcessHandle}, or the runtime's view where the OS hides them.
     */
    static List<String> arguments() {
        try {
            List<String> argv = parseProcCmdline(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/self/cmdline")));
            if (!argv.isEmpty()) return argv;
        } catch (java.io.IOException | RuntimeException e) {
            // Not Linux, or /proc is hidden: ask the JDK.
        }
        List<String> args = new ArrayList<>();
        ProcessHandle.Info info = ProcessHandle.current().info();
        Optional<String[]> os = info.arguments();
        if (info.command().isPresent() && os.isPresent()) {
            args.add(info.command().get());
            args.addAll(List.of(os.get()));
            return args;
        }
        args.add(info.command().orElse("java"));
        args.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        String command = System.getProperty("sun.java.command");
        if (command != null && !command.isBlank()) args.addAll(List.of(command.trim().split(" ")));
        return args;
    }

    /**
     * Splits {@code /proc/PID/cmdline}: every argument ends with a NUL (an empty one is just a NUL), in the
     * platform's file name encoding, as the JDK decodes {@code main}'s arguments.
     */
    static List<String> parseProcCmdline(byte[] bytes) {
        List<String> args = new ArrayList<>();
        java.nio.charset.Charset cs = jnuCharset();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                args.add(new String(bytes, start, i - start, cs));
                start = i + 1;
            }
        }
        if (start < bytes.length) args.add(new String(bytes, start, bytes.length - start, cs)); // no final NUL
        return args;
    }

    private static java.nio.charset.Charset jnuCharset() {
        try {
            return java.nio.charset.Charset.forName(System.getProperty("sun.jnu.encoding"));
        } catch (RuntimeException e) {
            return java.nio.charset.Charset.defaultCharset();
        }
    }

    /**
     * Replaces every secret in the agents' options ({@code -javaagent:JAR=OPTIONS}, split at the first {@code =} as
     * the JVM splits it) as the agent itself reads them, so that no endpoint repeats the token.
     */
    static List<String> redacted(List<String> args) {
        List<String> out = new ArrayList<>(args.size());
        for (String a : args) {
            int eq = a.indexOf('=');
            out.add(a.startsWith("-javaagent:") && eq > 0 ? a.substring(0, eq + 1) + Options.redactArgs(a.substring(eq + 1)) : a);
        }
        return out;
    }

}

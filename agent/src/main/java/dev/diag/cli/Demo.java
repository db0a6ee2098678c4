package dev.diag.cli;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar diag.jar demo [DIR]}: runs the bundled {@link dev.diag.demo.DemoApp} in a child JVM with diag
 * attached as {@code -javaagent}, writing every profile into DIR (default {@code diag-demo}), then shows the
 * CPU profile with {@code go tool pprof -top} when Go is installed.
 */
final class Demo {
    /** One block sample per 100 us of waiting on average; every wait at least that long is recorded. */
    private static final long BLOCK_RATE_NANOS = 100_000;
    private static final int MUTEX_FRACTION = 10;

    private Demo() {}

    static int run(String[] args) throws IOException, InterruptedException, URISyntaxException {
        Path out = Path.of(args.length > 0 ? args[0] : "diag-demo").toAbsolutePath();
        String jar = new File(Demo.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Sampled block and mutex rates, as one would run a busy service: the demo's queue parks hundreds of
        // thousands of times a second, and at rate 1 each park's stack walk would put diag itself in the CPU profile.
        List<String> cmd = List.of(java,
                "-javaagent:" + jar + "=out=" + out + ",block.rate=" + BLOCK_RATE_NANOS + ",mutex.fraction="
                        + MUTEX_FRACTION + ",profiles=cpu,heap,allocs,block,mutex,goroutine,threadcreate",
                "-cp", jar, "dev.diag.demo.DemoApp");
        System.out.println("$ " + String.join(" ", cmd));
        Process demo = new ProcessBuilder(cmd).inheritIO().start();
        // Ctrl-C or `timeout` on this command must not leave the demo JVM running on its own.
        Thread reaper = new Thread(demo::destroy, "diag-demo-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        int code = demo.waitFor();
        Runtime.getRuntime().removeShutdownHook(reaper);
        if (code != 0) return code;
        System.out.println();
        System.out.println("Profiles written to " + out + ":");
        try (var files = Files.list(out)) {
            files.sorted().forEach(f -> System.out.println("  " + f.getFileName()));
        }
        Path cpu = out.resolve("cpu.pb.gz");
        List<String> top = new ArrayList<>(List.of("go", "tool", "pprof", "-top", "-nodecount=15", cpu.toString()));
        System.out.println();
        System.out.println("$ " + String.join(" ", top));
        try {
            return new ProcessBuilder(top).inheritIO().start().waitFor();
        } catch (IOException e) {
            System.out.println("(go is not installed: apt-get install golang-go, then run the command above)");
            return 0;
        }
    }
}

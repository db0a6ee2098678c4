package dev.diag.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A JDK the integration tests start JVMs with: the one running the tests (17), and a second one when the machine has
 * it (Temurin 25 under /usr/lib/jvm, or {@code DIAG_TEST_JDKS=/path/a:/path/b}).
 */
public record Jdk(Path home, int feature) {

    /** Returns the JDK running the tests. */
    public static Jdk current() {
        return new Jdk(Path.of(System.getProperty("java.home")), Runtime.version().feature());
    }

    /** Returns every JDK to test on: the current one first, then the others found. */
    public static List<Jdk> all() {
        List<Jdk> out = new ArrayList<>();
        out.add(current());
        String env = System.getenv("DIAG_TEST_JDKS");
        List<Path> candidates = new ArrayList<>();
        if (env != null && !env.isBlank()) {
            for (String p : env.split(":")) candidates.add(Path.of(p));
        } else {
            try (Stream<Path> s = Files.list(Path.of("/usr/lib/jvm"))) {
                s.filter(p -> p.getFileName().toString().matches("temurin-2[1-9]-jdk.*")).sorted().forEach(candidates::add);
            } catch (Exception ignored) {
                // No /usr/lib/jvm: only the current JDK.
            }
        }
        for (Path home : candidates) {
            if (!Files.isExecutable(home.resolve("bin/java"))) continue;
            int feature = featureOf(home);
            if (feature != current().feature()) out.add(new Jdk(home, feature));
        }
        return out;
    }

    /** Returns a JDK of at least this feature version, or null. */
    public static Jdk atLeast(int feature) {
        return all().stream().filter(j -> j.feature() >= feature).findFirst().orElse(null);
    }

    public Path java() {
        return home.resolve("bin/java");
    }

    private static int featureOf(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.+-]")[0]);
                }
            }
        } catch (Exception ignored) {
            // Fall through: unknown version.
        }
        return -1;
    }

    @Override
    public String toString() {
        return "JDK " + feature;
    }
}

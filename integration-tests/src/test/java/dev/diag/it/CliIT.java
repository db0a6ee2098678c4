package dev.diag.it;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's first commands, run with the real jar: {@code java -jar diag.jar help} and {@code ... demo DIR}. */
class CliIT {
    /** Go's sample types of each profile the demo writes (GO_PPROF_CONTRACT.md, "Proto shapes"). */
    private static final Map<String, List<String>> GO_TYPES = Map.of(
            "cpu", List.of("samples/count", "cpu/nanoseconds"),
            "heap", List.of("alloc_objects/count", "alloc_space/bytes", "inuse_objects/count", "inuse_space/bytes"),
            "allocs", List.of("alloc_objects/count", "alloc_space/bytes", "inuse_objects/count", "inuse_space/bytes"),
            "block", List.of("contentions/count", "delay/nanoseconds"),
            "mutex", List.of("contentions/count", "delay/nanoseconds"),
            "goroutine", List.of("goroutine/count"),
            "threadcreate", List.of("threadcreate/count"));

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenHelp_whenRun_thenEveryCommandAndEveryOptionKeyOfTheJarWithItsDefaultOnce(Jdk jdk) throws Exception {
        Map<String, String> keys = optionKeysOfTheJar();

        DiagCli.Result help = DiagCli.run(jdk, "help");
        DiagCli.Result bare = DiagCli.run(jdk);

        assertThat(help.exitCode()).as("%s", help).isZero();
        assertThat(help.stderr()).isEmpty();
        assertThat(bare.stdout()).as("no command prints the help").isEqualTo(help.stdout());
        for (String command : List.of("demo [DIR]", "list", "attach PID [OPTIONS]", "status PID",
                "view FILE|URL [-o OUT.html]", "help")) {
            assertThat(help.stdout()).contains("  java -jar diag.jar " + command + " ");
        }
        assertThat(help.stdout()).as("profile's usage, its text on the lines below")
                .contains("  java -jar diag.jar profile PID|-- JAVA-CMD... [-d 10s] [-e EVENT] [-o FILE]\n");
        // The jar's own OptionKey is the source of truth; these are the keys the design names, so that a jar
        // whose enum lost a key cannot pass by listing only what it has.
        assertThat(keys).containsKeys("http", "http.path", "http.token", "http.token.file", "out", "profiles",
                "interval", "duration", "cpu.hz", "block.rate", "mutex.fraction", "alloc.rate", "trace", "trace.max",
                "push", "log");
        for (Map.Entry<String, String> k : keys.entrySet()) {
            Matcher line = Pattern.compile("(?m)^  " + Pattern.quote(k.getKey()) + " +(\\S.*)$").matcher(help.stdout());
            assertThat(line.find()).as("a line for option %s in:\n%s", k.getKey(), help.stdout()).isTrue();
            String text = line.group(1);
            assertThat(count(text, "(default: ")).as("option %s: %s", k.getKey(), text).isEqualTo(1);
            if (!k.getValue().isEmpty()) assertThat(text).as(k.getKey()).contains("(default: " + k.getValue() + ")");
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenDemo_whenRun_thenExitsZeroAndWritesEveryProfileItNames_andTheyHoldTheDemosOwnMethods(Jdk jdk,
            @TempDir Path dir) throws Exception {
        Path out = dir.resolve("demo-out");

        DiagCli.Result demo = DiagCli.run(jdk, "demo", out.toString());

        assertThat(demo.exitCode()).as("%s", demo).isZero();
        // The one line allowed: JDK 17's JFR can close its stream at exit before handing over the live-object samples
        // (1 in 4 demo runs), and then diag says the heap file's inuse_* is empty rather than let it look so silently.
        assertThat(AgentJvm.withoutEmptyInUseNote(demo.stderr())).as("%s", demo).isEmpty();
        Matcher command = Pattern.compile("(?m)^\\$ \\S+ -javaagent:\\S+=out=" + Pattern.quote(out.toString())
                + ",(?:\\S+,)?profiles=(\\S+) -cp \\S+ dev\\.diag\\.demo\\.DemoApp$").matcher(demo.stdout());
        assertThat(command.find()).as("the demo shows the command it runs:\n%s", demo.stdout()).isTrue();
        List<String> named = List.of(command.group(1).split(","));
        assertThat(named).containsExactlyInAnyOrderElementsOf(GO_TYPES.keySet());
        assertThat(listedFiles(demo.stdout(), out))
                .containsExactlyElementsOf(named.stream().map(n -> n + ".pb.gz").sorted().collect(Collectors.toList()));

        Map<String, RawProfile> profiles = new LinkedHashMap<>();
        for (String name : named) {
            RawProfile p = GoTool.raw(out.resolve(name + ".pb.gz"));
            assertThat(p.sampleTypes).as(name).isEqualTo(GO_TYPES.get(name));
            profiles.put(name, p);
        }
        // DemoApp's CPU thread alternates spin(2_000_000) in hashTwoThirds with spin(1_000_000) in hashOneThird.
        RawProfile cpu = profiles.get("cpu");
        long twoThirds = cpu.sum("cpu/nanoseconds", s -> s.hasFrame("dev.diag.demo.DemoApp.hashTwoThirds"));
        long oneThird = cpu.sum("cpu/nanoseconds", s -> s.hasFrame("dev.diag.demo.DemoApp.hashOneThird"));
        assertThat(oneThird).as("cpu ns in DemoApp.hashOneThird").isPositive();
        assertThat(twoThirds).as("cpu ns in hashTwoThirds, twice the work of hashOneThird's %d", oneThird)
                .isGreaterThan(oneThird);
        assertThat(cpu.sum("cpu/nanoseconds", s -> s.hasFrame("dev.diag.demo.DemoApp.holdLock")))
                .as("cpu ns of the lockers' work under the lock").isPositive();
        assertThat(profiles.get("threadcreate").sum("threadcreate/count", s -> s.hasFrame("dev.diag.demo.DemoApp.main")))
                .as("cpu, 2 lockers, producer, consumer").isEqualTo(5);
        assertThat(profiles.get("block").sum("contentions/count", s -> s.hasFrame("dev.diag.demo.DemoApp.holdLock")))
                .as("lockers waiting for each other").isPositive();
        assertThat(profiles.get("mutex").sum("delay/nanoseconds", s -> s.hasFrame("dev.diag.demo.DemoApp.holdLock")))
                .as("the lock's holders").isPositive();
        assertThat(profiles.get("allocs").sum("alloc_space/bytes", s -> s.hasFrame("dev.diag.demo.DemoApp.produce")))
                .as("the producer's 64 KiB buffers").isPositive();
        // go is on PATH here, so the demo ends by showing the CPU profile with pprof.
        assertThat(demo.stdout()).contains("$ go tool pprof -top -nodecount=15 " + out.resolve("cpu.pb.gz"))
                .containsPattern("(?m)^ .*% +dev\\.diag\\.demo\\.DemoApp\\.");
    }

    /** Returns the file names under {@code Profiles written to DIR:}, as the demo lists them. */
    private static List<String> listedFiles(String stdout, Path dir) throws Exception {
        String header = "Profiles written to " + dir + ":";
        List<String> lines = stdout.lines().collect(Collectors.toList());
        int at = lines.indexOf(header);
        assertThat(at).as("%s in:\n%s", header, stdout).isNotNegative();
        List<String> files = new ArrayList<>();
        for (int i = at + 1; i < lines.size() && lines.get(i).startsWith("  "); i++) files.add(lines.get(i).trim());
        try (var inDir = Files.list(dir)) {
            assertThat(files).as("what the directory holds").containsExactlyElementsOf(
                    inDir.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()));
        }
        return files;
    }

    /** Reads key and default of every {@code dev.diag.base.OptionKey} constant from the built jar itself. */
    private static Map<String, String> optionKeysOfTheJar() throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        try (URLClassLoader jar = new URLClassLoader(new URL[] {AgentJvm.agentJar().toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> optionKey = Class.forName("dev.diag.base.OptionKey", false, jar);
            Method key = optionKey.getMethod("key");
            Method defaultValue = optionKey.getMethod("defaultValue");
            for (Object k : optionKey.getEnumConstants()) keys.put((String) key.invoke(k), (String) defaultValue.invoke(k));
        }
        return keys;
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) n++;
        return n;
    }
}

package dev.diag;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package graph of diag's sources (ARCHITECTURE.md, "Modules and packages"): which {@code dev.diag.*} package
 * names which, from imports and fully qualified names alike. It fails on a package cycle that is not the known one,
 * and on a dependency the architecture forbids. The known cycle may only shrink.
 */
class PackageDependenciesTest {
    private static final Path AGENT = Path.of("src/main/java/dev/diag");
    private static final Path BOOTSTRAP = Path.of("../agent-bootstrap/src/main/java/dev/diag");
    /** Packages in the boot class loader: JDK classes call them, so they may name nothing of the agent's. */
    private static final Set<String> BOOTSTRAP_PACKAGES = Set.of("api", "hook", "json", "lockorder", "requests", "ring",
            "stack");
    /**
     * Today's one cycle, in the bootstrap: the hooks capture stacks, and stack capture names the hooks' classes to
     * leave their frames out; both ship and load as one unit.
     */
    private static final List<Set<String>> KNOWN_CYCLES = List.of(Set.of("hook", "stack"));
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.diag\\.([a-z]+)\\.[A-Za-z*]");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    private static Map<String, Set<String>> graph;

    @BeforeAll
    static void readSources() throws IOException {
        Set<String> packages = new TreeSet<>();
        for (Path root : List.of(AGENT, BOOTSTRAP)) {
            try (Stream<Path> dirs = Files.list(root)) {
                dirs.filter(Files::isDirectory).forEach(d -> packages.add(d.getFileName().toString()));
            }
        }
        graph = new TreeMap<>();
        for (Path root : List.of(AGENT, BOOTSTRAP)) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> addReferences(root, f, packages));
            }
        }
    }

    private static void addReferences(Path root, Path file, Set<String> packages) {
        String from = root.relativize(file).getName(0).toString();
        String code;
        try {
            code = COMMENT.matcher(Files.readString(file)).replaceAll("");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> to = graph.computeIfAbsent(from, k -> new TreeSet<>());
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
            // Only real packages: "dev.diag.options" is a system property's name, not a package.
            if (!m.group(1).equals(from) && packages.contains(m.group(1))) to.add(m.group(1));
        }
    }

    @Test
    void givenTheSources_whenPackageCyclesFound_thenOnlyTheKnownOnes() {
        assertThat(graph).as("the sources were found").containsKeys("agent", "hook", "pprof");
        assertThat(cycles()).as("package cycles (%s)", graph).containsExactlyInAnyOrderElementsOf(KNOWN_CYCLES);
    }

    @Test
    void givenTheBootstrapPackages_whenTheirDependenciesRead_thenTheyNameNoAgentPackage() {
        for (String p : BOOTSTRAP_PACKAGES) {
            assertThat(graph.get(p)).as("dev.diag.%s depends on", p).isSubsetOf(BOOTSTRAP_PACKAGES);
        }
    }

    @Test
    void givenTheProfileModel_whenItsDependenciesRead_thenItKnowsNoFeatureAndNoAgent() {
        // The pprof model and encoder serve every feature; the features build on it, never the other way.
        assertThat(graph.get("pprof")).as("dev.diag.pprof depends on").isSubsetOf(BOOTSTRAP_PACKAGES);
        assertThat(graph.get("classfile")).as("dev.diag.classfile depends on").isEmpty();
    }

    @Test
    void givenTheLeafPackage_whenItsDependenciesRead_thenItNamesNoOtherPackage() {
        // Options, log, diag's threads: what every package may import, so it may import nothing of diag.
        assertThat(graph.get("base")).as("dev.diag.base depends on").isEmpty();
    }

    @Test
    void givenTheCompositionRoot_whenOtherPackagesRead_thenNoneNamesIt() {
        // The agent lists the features and hands each its context; a feature that named the agent would be back to
        // using it as a service locator.
        graph.forEach((from, to) -> assertThat(to).as("dev.diag.%s depends on", from).doesNotContain("agent"));
    }

    @Test
    void givenTheFeatureContract_whenItsDependenciesRead_thenItNamesOnlyWhatEveryFeatureShares() {
        assertThat(graph.get("feature")).as("dev.diag.feature depends on")
                .isSubsetOf(Set.of("base", "jfr", "labels", "pprof", "sampler", "classfile", "api", "hook", "requests", "ring",
                        "stack"));
        // The tracer reads parks from the shared drainer, not from the block and mutex profiles.
        assertThat(graph.get("trace")).as("dev.diag.trace depends on").doesNotContain("contention");
    }

    /** Returns the strongly connected components with more than one package (Tarjan). */
    private static List<Set<String>> cycles() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<Set<String>> found = new ArrayList<>();
        for (String p : graph.keySet()) {
            if (!index.containsKey(p)) connect(p, index, low, stack, found);
        }
        return found;
    }

    private static void connect(String p, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                                List<Set<String>> found) {
        index.put(p, index.size());
        low.put(p, index.get(p));
        stack.push(p);
        for (String q : graph.getOrDefault(p, Set.of())) {
            if (!index.containsKey(q)) {
                connect(q, index, low, stack, found);
                low.put(p, Math.min(low.get(p), low.get(q)));
            } else if (stack.contains(q)) {
                low.put(p, Math.min(low.get(p), index.get(q)));
            }
        }
        if (low.get(p).equals(index.get(p))) {
            Set<String> component = new TreeSet<>();
            String q;
            do {
                q = stack.pop();
                component.add(q);
            } while (!q.equals(p));
            if (component.size() > 1) found.add(component);
        }
    }
}

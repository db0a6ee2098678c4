package dev.diag.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What diag adds to class loading once it runs (its transformer sees every class the JVM loads): fresh JVMs,
 * interleaved with and without {@code -javaagent:diag.jar}, each loading every class of the JDK's
 * {@code java.desktop} module through the bootstrap loader and every class of the given jars (application classes;
 * by default this benchmarks jar: JMH and its libraries) through a new {@code URLClassLoader}, after diag's start-up.
 * Prints the medians.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.diag.bench.ClassLoadingCost agent/target/diag.jar RUNS [JAR...]</pre>
 */
public final class ClassLoadingCost {
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        String jar = args[0];
        int runs = Integer.parseInt(args[1]);
        List<String> jars = new ArrayList<>(Arrays.asList(args).subList(2, args.length));
        if (jars.isEmpty()) {
            jars.add(new File(ClassLoadingCost.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .getPath());
        }
        List<long[]> bare = new ArrayList<>();
        List<long[]> agent = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            bare.add(run(null, jars));
            agent.add(run("-javaagent:" + jar + "=log=info", jars));
        }
        long[] b = bare.get(0);
        System.out.printf("%d JDK classes: %d ms without diag, %d ms with it%n", b[0], Medians.of(bare, 1), Medians.of(agent, 1));
        System.out.printf("%d application classes: %d ms without diag, %d ms with it%n", b[2], Medians.of(bare, 3),
                Medians.of(agent, 3));
    }

    /** Loads the classes and prints {@code jdk COUNT MS} and {@code app COUNT MS}. */
    private static void child(String[] jars) throws Exception {
        DiagInit.await();
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        Path module = jrt.getPath("/modules/java.desktop");
        List<String> jdk;
        try (Stream<Path> files = Files.walk(module)) {
            jdk = files.map(p -> module.relativize(p).toString()).filter(ClassLoadingCost::isClassFile)
                    .map(ClassLoadingCost::className).collect(Collectors.toList());
        }
        long[] jdkResult = load(jdk, null);
        List<String> app = new ArrayList<>();
        URL[] urls = new URL[jars.length];
        for (int i = 0; i < jars.length; i++) {
            urls[i] = new File(jars[i]).toURI().toURL();
            try (JarFile j = new JarFile(jars[i])) {
                j.stream().map(JarEntry::getName).filter(ClassLoadingCost::isClassFile)
                        .map(ClassLoadingCost::className).forEach(app::add);
            }
        }
        try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            long[] appResult = load(app, loader);
            System.out.println("jdk " + jdkResult[0] + " " + jdkResult[1]);
            System.out.println("app " + appResult[0] + " " + appResult[1]);
        }
    }

    private static boolean isClassFile(String name) {
        return name.endsWith(".class") && !name.contains("module-info") && !name.startsWith("META-INF/");
    }

    private static String className(String file) {
        return file.substring(0, file.length() - ".class".length()).replace('/', '.');
    }

    /** Loads (without initializing) each class it can; returns {@code [loaded, ms]}. */
    private static long[] load(List<String> names, ClassLoader loader) {
        long t0 = System.nanoTime();
        int loaded = 0;
        for (String n : names) {
            try {
                Class.forName(n, false, loader);
                loaded++;
            } catch (Throwable e) {
                // a class whose dependencies are not there: not loaded, not counted
            }
        }
        return new long[] {loaded, (System.nanoTime() - t0) / 1_000_000};
    }

    private static long[] run(String agent, List<String> jars) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + "/bin/java");
        if (agent != null) cmd.add(agent);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ClassLoadingCost.class.getName(), "child"));
        cmd.addAll(jars);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        long[] v = new long[4];
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line; (line = in.readLine()) != null; ) {
                String[] w = line.split(" ");
                if (w.length != 3) continue;
                int at = w[0].equals("jdk") ? 0 : w[0].equals("app") ? 2 : -1;
                if (at < 0) continue;
                v[at] = Long.parseLong(w[1]);
                v[at + 1] = Long.parseLong(w[2]);
            }
        }
        p.waitFor();
        return v;
    }

}

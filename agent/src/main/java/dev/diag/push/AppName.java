package dev.diag.push;

/**
 * The default application name pushed to Pyroscope: the main class's simple name, or the jar's file name without
 * {@code .jar}, from {@code sun.java.command} (what {@code jps} shows), made safe for an ingest name.
 */
final class AppName {
    private static final String FALLBACK = "java";

    private AppName() {}

    /** Returns the name for a {@code sun.java.command} value (null or blank: {@value #FALLBACK}). */
    static String fromCommand(String command) {
        if (command == null || command.isBlank()) return FALLBACK;
        String first = command.trim().split("\\s+")[0];
        String name;
        if (first.endsWith(".jar")) {
            String file = first.substring(Math.max(first.lastIndexOf('/'), first.lastIndexOf('\\')) + 1);
            name = file.substring(0, file.length() - ".jar".length());
        } else {
            // A module launch is module/class; a class launch is its binary name. The simple name reads best.
            String cls = first.substring(first.lastIndexOf('/') + 1);
            name = cls.substring(cls.lastIndexOf('.') + 1);
        }
        name = name.replaceAll("[^A-Za-z0-9_.\\-]", "_");
        while (name.startsWith(".") || name.startsWith("-")) name = name.substring(1);
        return name.isEmpty() ? FALLBACK : name;
    }
}

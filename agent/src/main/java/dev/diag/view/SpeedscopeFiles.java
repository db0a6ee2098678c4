package dev.diag.view;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The speedscope release files packed into diag.jar under {@value #ROOT}. The set of names is the build's own list
 * ({@code files.txt}), so a request can only ever name one of those files, never a path of its own making.
 */
public final class SpeedscopeFiles {
    static final String ROOT = "/dev/diag/view/speedscope/";
    /** The viewer's page; it loads a same-origin profile given as {@code #profileURL=...}. */
    public static final String INDEX = "index.html";

    private static final Set<String> NAMES = readNames();

    private SpeedscopeFiles() {}

    /** Returns the names of the packed files (empty when diag.jar was built without them). */
    public static Set<String> names() {
        return NAMES;
    }

    /** Returns the bytes of the packed file {@code name}, or null when there is no such file. */
    public static byte[] read(String name) throws IOException {
        if (!NAMES.contains(name)) return null;
        try (InputStream in = SpeedscopeFiles.class.getResourceAsStream(ROOT + name)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    /** Returns the media type to answer {@code name} with. */
    public static String contentType(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        switch (ext) {
            case "html": return "text/html; charset=utf-8";
            case "js": return "text/javascript; charset=utf-8";
            case "css": return "text/css; charset=utf-8";
            case "png": return "image/png";
            case "ico": return "image/x-icon";
            case "woff2": return "font/woff2";
            case "wasm": return "application/wasm";
            case "json": return "application/json";
            default: return "text/plain; charset=utf-8";
        }
    }

    /**
     * Returns whether {@code name} carries a content hash (speedscope's build names assets like
     * {@code speedscope-Y2522XSH.js}), so that a browser may keep it as long as it likes.
     */
    public static boolean isContentHashed(String name) {
        return name.matches(".*-[A-Z0-9]{8}\\.[a-z0-9]+");
    }

    /** Returns the one packed file whose name starts with {@code stem-} and ends with {@code .ext}. */
    static String hashedName(String stem, String ext) throws IOException {
        for (String n : NAMES) {
            if (n.startsWith(stem + "-") && n.endsWith("." + ext)) return n;
        }
        throw new IOException("diag.jar holds no speedscope " + stem + "." + ext + " (built without the viewer?)");
    }

    private static Set<String> readNames() {
        try (InputStream in = SpeedscopeFiles.class.getResourceAsStream(ROOT + "files.txt")) {
            if (in == null) return Set.of();
            Set<String> names = new LinkedHashSet<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String n = line.trim();
                // The build writes plain file names; anything else would be a path, which is never served.
                if (!n.isEmpty() && n.indexOf('/') < 0 && n.indexOf('\\') < 0 && !n.startsWith(".")) names.add(n);
            }
            return Collections.unmodifiableSet(names);
        } catch (IOException e) {
            return Set.of();
        }
    }
}

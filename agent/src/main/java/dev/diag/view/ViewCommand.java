package dev.diag.view;

import dev.diag.base.AtomicFile;
import dev.diag.base.FileErrors;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code java -jar diag.jar view FILE|URL [-o OUT.html] [-sample_type NAME] [-tagfocus KEY=VALUE]}: writes a pprof
 * profile (diag's or Go's, from a file or a
 * {@code /debug/pprof} URL) as one self-contained speedscope page, by default next to FILE with
 * {@code .pb.gz}/{@code .pb}/{@code .gz} replaced by {@code .html}, or for a URL as its last path segment plus
 * {@code .html} in the current directory ({@code heap.html}). The page opens on {@code -sample_type} focused on
 * {@code -tagfocus} (as {@code go tool pprof}'s flags) and offers the others ({@link FocusPanel}). Exit status 0
 * written, 1 unreadable, not a profile, or a sample type or label it does not have, 2 usage.
 */
public final class ViewCommand {
    static final String USAGE =
            "usage: java -jar diag.jar view FILE|URL [-o OUT.html] [-sample_type NAME] [-tagfocus KEY=VALUE]";

    private ViewCommand() {}

    public static int run(String[] args, PrintStream out, PrintStream err) {
        String input = null;
        String output = null;
        String sampleType = null;
        String tagfocus = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-o") && i + 1 < args.length && output == null) {
                output = args[++i];
            } else if (args[i].equals("-sample_type") && i + 1 < args.length && sampleType == null) {
                sampleType = args[++i];
            } else if (args[i].equals("-tagfocus") && i + 1 < args.length && tagfocus == null) {
                tagfocus = args[++i];
            } else if (!args[i].startsWith("-") && input == null) {
                input = args[i];
            } else {
                err.println("diag: view: unexpected argument \"" + args[i] + "\" (" + USAGE + ")");
                return 2;
            }
        }
        if (input == null) {
            err.println("diag: view: no profile file or URL given (" + USAGE + ")");
            return 2;
        }
        boolean url = ProfileDownload.isUrl(input);
        String name;
        Path target;
        byte[] profile;
        try {
            name = url ? ProfileDownload.name(input) : Path.of(input).getFileName().toString();
            target = output != null ? Path.of(output)
                    : url ? Path.of(name + ".html") : defaultOutput(Path.of(input));
        } catch (IllegalArgumentException e) { // a bad URL, or a file name the OS cannot have (InvalidPathException)
            err.println("diag: view: " + input + " is neither a file name nor a URL diag can read");
            return 2;
        }
        try {
            profile = url ? ProfileDownload.fetch(input) : readFile(Path.of(input));
        } catch (IOException e) {
            err.println("diag: view: cannot read " + input + ": " + (url ? e.getMessage() : FileErrors.describe(e)));
            return 1;
        }
        String problem = PprofFile.problem(profile);
        if (problem != null) {
            err.println("diag: view: " + input + " is not a pprof profile: " + problem);
            return 1;
        }
        byte[] html;
        try {
            html = StandaloneHtmlWriter.html(name, profile, sampleType, tagfocus);
        } catch (IllegalArgumentException e) {
            err.println("diag: view: " + input + ": " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("diag: view: " + e.getMessage());
            return 1;
        }
        try {
            AtomicFile.write(target, o -> o.write(html));
        } catch (IOException e) {
            err.println("diag: view: cannot write " + target + ": " + FileErrors.describe(e));
            return 1;
        }
        out.println("diag: wrote " + target + " (open it in a browser; it needs no network)");
        return 0;
    }

    private static byte[] readFile(Path in) throws IOException {
        if (Files.isDirectory(in)) throw new IOException("is a directory");
        return Files.readAllBytes(in);
    }

    static Path defaultOutput(Path in) {
        String name = in.getFileName().toString();
        for (String ext : new String[] {".pb.gz", ".pb", ".gz"}) {
            if (name.endsWith(ext)) {
                // A file named just ".pb.gz" keeps its name: ".html" alone would be a hidden file.
                if (name.length() > ext.length()) name = name.substring(0, name.length() - ext.length());
                break;
            }
        }
        return in.resolveSibling(name + ".html");
    }
}

package dev.diag.view;

import dev.diag.base.AtomicFile;
import dev.diag.base.FileErrors;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code java -jar diag.jar view FILE [-o OUT.html]}: writes FILE (any pprof profile, diag's or Go's) as one
 * self-contained speedscope page, by default next to FILE with {@code .pb.gz}/{@code .pb}/{@code .gz} replaced by
 * {@code .html}. Exit status 0 written, 1 unreadable or not a profile, 2 usage.
 */
public final class ViewCommand {
    static final String USAGE = "usage: java -jar diag.jar view FILE.pb.gz [-o OUT.html]";

    private ViewCommand() {}

    public static int run(String[] args, PrintStream out, PrintStream err) {
        String input = null;
        String output = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-o") && i + 1 < args.length && output == null) {
                output = args[++i];
            } else if (!args[i].startsWith("-") && input == null) {
                input = args[i];
            } else {
                err.println("diag: view: unexpected argument \"" + args[i] + "\" (" + USAGE + ")");
                return 2;
            }
        }
        if (input == null) {
            err.println("diag: view: no profile file given (" + USAGE + ")");
            return 2;
        }
        Path in = Path.of(input);
        Path target = output != null ? Path.of(output) : defaultOutput(in);
        byte[] profile;
        try {
            if (Files.isDirectory(in)) throw new IOException("is a directory");
            profile = Files.readAllBytes(in);
        } catch (IOException e) {
            err.println("diag: view: cannot read " + input + ": " + FileErrors.describe(e));
            return 1;
        }
        String problem = PprofFile.problem(profile);
        if (problem != null) {
            err.println("diag: view: " + input + " is not a pprof profile: " + problem);
            return 1;
        }
        try {
            byte[] html = StandaloneHtmlWriter.html(in.getFileName().toString(), profile);
            AtomicFile.write(target, o -> o.write(html));
        } catch (IOException e) {
            err.println("diag: view: cannot write " + target + ": " + FileErrors.describe(e));
            return 1;
        }
        out.println("diag: wrote " + target + " (open it in a browser; it needs no network)");
        return 0;
    }

    static Path defaultOutput(Path in) {
        String name = in.getFileName().toString();
        for (String ext : new String[] {".pb.gz", ".pb", ".gz"}) {
            if (name.endsWith(ext) && name.length() > ext.length()) {
                name = name.substring(0, name.length() - ext.length());
                break;
            }
        }
        return in.resolveSibling(name + ".html");
    }
}

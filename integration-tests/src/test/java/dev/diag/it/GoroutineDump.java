package dev.diag.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code goroutine?debug=2} parsed strictly as Go's panic layout: blocks separated by one blank line, each a header
 * {@code goroutine ID [BRACKET]:} and then frame pairs {@code FUNCTION(...)} / {@code \tFILE:LINE}. Any line that fits
 * neither fails the parse, so a test using this checks the layout of the whole dump.
 */
final class GoroutineDump {
    private static final Pattern HEADER = Pattern.compile("goroutine (\\d+) \\[([^\\]]*)\\]:");
    private static final Pattern FUNCTION = Pattern.compile("(\\S+)\\(\\.\\.\\.\\)");
    private static final Pattern LOCATION = Pattern.compile("\t([^\t:]+):(\\d+)");
    /** The bracket of every goroutine but the running one: {@code STATE[ on LOCK], "NAME"[, virtual]}. */
    private static final Pattern BRACKET = Pattern.compile("(.*?)(?: on (\\S+))?, \"(.*)\"(, virtual)?");

    /** One frame: {@code pkg.Class.method}, file name and line. */
    record Frame(String function, String file, int line) {
        @Override
        public String toString() {
            return function + " " + file + ":" + line;
        }
    }

    /** One goroutine; {@code state}, {@code lock} and {@code name} are null for the running one, which has no name. */
    record Goroutine(long id, String bracket, String state, String lock, String name, List<Frame> frames) {
        boolean running() {
            return bracket.equals("running");
        }

        boolean hasFrame(String functionSubstring) {
            return frames.stream().anyMatch(f -> f.function().contains(functionSubstring));
        }
    }

    /** Goroutines by id, in dump order. */
    final Map<Long, Goroutine> goroutines = new LinkedHashMap<>();
    final String text;

    private GoroutineDump(String text) {
        this.text = text;
    }

    static GoroutineDump parse(String text) {
        GoroutineDump d = new GoroutineDump(text);
        if (!text.endsWith("\n")) throw new AssertionError("a dump ends with a newline:\n" + tail(text));
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        int i = 0;
        while (i < lines.length) {
            Matcher h = HEADER.matcher(lines[i]);
            if (!h.matches()) throw new AssertionError("line " + (i + 1) + " is not a goroutine header: " + lines[i]);
            long id = Long.parseLong(h.group(1));
            String bracket = h.group(2);
            String state = null;
            String lock = null;
            String name = null;
            if (!bracket.equals("running")) {
                Matcher b = BRACKET.matcher(bracket);
                if (!b.matches()) throw new AssertionError("line " + (i + 1) + ": bracket without a name: " + lines[i]);
                state = b.group(1);
                lock = b.group(2);
                name = b.group(3);
            }
            i++;
            List<Frame> frames = new ArrayList<>();
            while (i < lines.length && !lines[i].isEmpty()) {
                if (lines[i].equals("...additional frames elided...")) {
                    i++;
                    continue;
                }
                Matcher f = FUNCTION.matcher(lines[i]);
                Matcher l = i + 1 < lines.length ? LOCATION.matcher(lines[i + 1]) : null;
                if (!f.matches() || l == null || !l.matches()) {
                    throw new AssertionError("lines " + (i + 1) + "-" + (i + 2) + " are not a frame: " + lines[i]
                            + (i + 1 < lines.length ? " / " + lines[i + 1] : ""));
                }
                frames.add(new Frame(f.group(1), l.group(1), Integer.parseInt(l.group(2))));
                i += 2;
            }
            if (d.goroutines.put(id, new Goroutine(id, bracket, state, lock, name, frames)) != null) {
                throw new AssertionError("goroutine " + id + " shows twice");
            }
            i++; // the blank line between goroutines
        }
        return d;
    }

    /** Returns the first goroutine of the dump: Go puts the one answering the request first, [running]. */
    Goroutine first() {
        return goroutines.values().iterator().next();
    }

    private static String tail(String s) {
        return s.length() > 200 ? s.substring(s.length() - 200) : s;
    }
}

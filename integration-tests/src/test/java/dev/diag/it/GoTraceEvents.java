package dev.diag.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The events of a Go execution trace as Go's own parser reads them: {@code go tool trace -d FILE} prints each one as
 * {@code TS Type p=P g=G off=O key=value...}, in time order, with the goroutine it belongs to.
 */
public final class GoTraceEvents {
    /** One parsed event; {@link #arg} reads its {@code key=value} fields ({@code message} runs to the line's end). */
    public record Event(long ts, String type, long g, String line) {
        public String arg(String key) {
            int at = line.indexOf(" " + key + "=");
            if (at < 0) return null;
            int from = at + key.length() + 2;
            if (key.equals("message")) return line.substring(from);
            int to = line.indexOf(' ', from);
            return to < 0 ? line.substring(from) : line.substring(from, to);
        }

        /** Whether this is a user log of {@code category}. */
        public boolean isLog(String category) {
            return type.equals("UserLog") && category.equals(arg("category"));
        }

        /** Whether this is the start ({@code mode=0}) or end ({@code mode=1}) of user region {@code name}. */
        public boolean isRegion(String name, boolean start) {
            return type.equals("UserRegion") && name.equals(arg("name")) && arg("mode").equals(start ? "0" : "1");
        }
    }

    public final List<Event> events = new ArrayList<>();

    /** Runs {@code go tool trace -d FILE}; fails unless Go parses the whole trace. */
    public static GoTraceEvents read(Path file) throws Exception {
        GoTool.Result r = GoTool.run(List.of("go", "tool", "trace", "-d", file.toString()), 120);
        assertThat(r.exitCode()).as("go tool trace -d; stderr:\n%s", r.stderr()).isZero();
        GoTraceEvents t = new GoTraceEvents();
        for (String line : r.stdout().split("\n")) {
            String[] f = line.split(" ", 5);
            if (f.length < 5 || !f[2].startsWith("p=") || !f[3].startsWith("g=")) continue;
            t.events.add(new Event(Long.parseLong(f[0]), f[1], Long.parseLong(f[3].substring(2)), line));
        }
        assertThat(t.events).as("events of %s", file).isNotEmpty();
        return t;
    }

    /** Returns the events of goroutine {@code g}, in order. */
    public List<Event> of(long g) {
        return events.stream().filter(e -> e.g() == g).toList();
    }

    /**
     * Returns the events of goroutine {@code g} between the start and the end of its first region {@code name}
     * (exclusive); fails if it has no such region.
     */
    public List<Event> insideRegion(long g, String name) {
        List<Event> mine = of(g);
        int begin = -1;
        for (int i = 0; i < mine.size(); i++) {
            if (begin < 0 && mine.get(i).isRegion(name, true)) begin = i;
            else if (begin >= 0 && mine.get(i).isRegion(name, false)) return mine.subList(begin + 1, i);
        }
        throw new AssertionError("no region " + name + " on goroutine " + g + ": " + mine);
    }
}

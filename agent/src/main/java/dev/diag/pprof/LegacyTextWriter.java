package dev.diag.pprof;

import dev.diag.stack.Frame;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a profile in the legacy text form Go's {@code runtime/pprof} writes for {@code debug=1}: count profiles
 * ({@code goroutine profile: total N}), heap profiles ({@code heap profile: ...} plus {@code # runtime.MemStats}) and
 * contention profiles ({@code --- contention:} / {@code --- mutex:}), frames aligned with Go's tabwriter.
 *
 * <p>Addresses are diag's synthetic ones ({@link AddressTable}), so {@code /symbol} resolves every address printed
 * here, and {@code go tool pprof} can read the text back (it subtracts 1 from each address; {@code /symbol} rounds to
 * the nearest frame). Values are diag's estimates, already scaled: the heap header says {@code heap/2} (a sampling
 * rate of 1, which pprof does not scale again) rather than Go's {@code 2*MemProfileRate}; contention cycles are
 * nanoseconds ({@code cycles/second=1000000000}).
 */
public final class LegacyTextWriter {
    /** Contention "cycles" are nanoseconds: diag measures time, not TSC ticks. */
    public static final long CYCLES_PER_SECOND = 1_000_000_000L;

    private LegacyTextWriter() {}

    /**
     * Returns the text of profile {@code name}. {@code mutexPeriod} is the sampling period printed for (and divided
     * out of) a mutex profile, as Go's text shows raw counts; 0 when unknown.
     */
    public static String write(String name, ProfileData p, long mutexPeriod) {
        if (p.sampleTypes().equals(GoProfiles.MEMORY_TYPES)) return heap(p);
        if (p.sampleTypes().equals(GoProfiles.CONTENTION_TYPES)) return contention(name, p, mutexPeriod);
        return count(name, p);
    }

    /** Go's printCountProfile: identical stack and labels counted, largest count first, then by key. */
    private static String count(String name, ProfileData p) {
        Map<String, long[]> counts = new HashMap<>();
        Map<String, Sample> first = new HashMap<>();
        long total = 0;
        for (Sample s : p.samples()) {
            long v = s.values().length > 0 ? s.values()[0] : 0;
            String key = addresses(s.stack()) + labels(s.labels());
            first.putIfAbsent(key, s);
            counts.computeIfAbsent(key, k -> new long[1])[0] += v;
            total += v;
        }
        List<String> keys = new ArrayList<>(counts.keySet());
        keys.sort(Comparator.<String>comparingLong(k -> -counts.get(k)[0]).thenComparing(Comparator.naturalOrder()));
        StringBuilder sb = new StringBuilder();
        sb.append(name).append(" profile: total ").append(total).append('\n');
        for (String k : keys) {
            sb.append(counts.get(k)[0]).append(' ').append(k).append('\n');
            frames(sb, first.get(k).stack());
        }
        return TabWriter.format(sb.toString());
    }

    /** Go's writeHeapInternal text: totals header, records by in-use bytes, then the MemStats block. */
    private static String heap(ProfileData p) {
        List<Sample> samples = new ArrayList<>(p.samples());
        samples.sort(Comparator.<Sample>comparingLong(s -> -s.values()[3]).thenComparingLong(s -> -s.values()[1]));
        long[] total = new long[4];
        for (Sample s : samples) {
            for (int i = 0; i < 4; i++) total[i] += s.values()[i];
        }
        StringBuilder sb = new StringBuilder();
        sb.append("heap profile: ").append(total[2]).append(": ").append(total[3]).append(" [").append(total[0])
                .append(": ").append(total[1]).append("] @ heap/2\n");
        for (Sample s : samples) {
            long[] v = s.values();
            // pprof rejects "0 objects of N bytes": an estimate can round objects down to 0, so show at least 1.
            long inuseObjects = v[3] != 0 && v[2] == 0 ? 1 : v[2];
            long allocObjects = v[1] != 0 && v[0] == 0 ? 1 : v[0];
            sb.append(inuseObjects).append(": ").append(v[3]).append(" [").append(allocObjects).append(": ")
                    .append(v[1]).append("] ").append(addresses(s.stack())).append('\n');
            frames(sb, s.stack());
        }
        GoMemStats.appendHeapText(sb);
        return TabWriter.format(sb.toString());
    }

    /** Go's writeProfileInternal text: cycles and count per stack, largest delay first. */
    private static String contention(String name, ProfileData p, long mutexPeriod) {
        boolean mutex = name.equals(GoProfiles.MUTEX);
        long divisor = mutex && mutexPeriod > 0 ? mutexPeriod : 1;
        List<Sample> samples = new ArrayList<>(p.samples());
        samples.sort(Comparator.<Sample>comparingLong(s -> -s.values()[1]));
        StringBuilder sb = new StringBuilder();
        sb.append("--- ").append(mutex ? "mutex" : "contention").append(":\n");
        sb.append("cycles/second=").append(CYCLES_PER_SECOND).append('\n');
        if (mutex) sb.append("sampling period=").append(mutexPeriod).append('\n');
        for (Sample s : samples) {
            sb.append(s.values()[1] / divisor).append(' ').append(s.values()[0] / divisor).append(' ')
                    .append(addresses(s.stack())).append('\n');
            frames(sb, s.stack());
        }
        return TabWriter.format(sb.toString());
    }

    /** Returns {@code @ 0xPC 0xPC...}, leaf first, as Go's record keys. */
    private static String addresses(Frame[] stack) {
        StringBuilder sb = new StringBuilder("@");
        for (Frame f : stack) sb.append(" 0x").append(Long.toHexString(AddressTable.addressOf(f)));
        return sb.toString();
    }

    /** Go's labelMap.String: {@code {"k":"v", ...}} sorted, on its own {@code # labels:} line; "" without labels. */
    private static String labels(List<Label> labels) {
        if (labels.isEmpty()) return "";
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Label l : labels) {
            String kv = quote(l.key()) + ":" + quote(l.isString() ? l.str() : Long.toString(l.num()));
            sorted.put(kv, kv);
        }
        return "\n# labels: {" + String.join(", ", sorted.keySet()) + "}";
    }

    /** Go's printStackRecord: one {@code #\tPC\tfunc+0x0\tfile:line} line per frame, then a blank line. */
    private static void frames(StringBuilder sb, Frame[] stack) {
        for (Frame f : stack) {
            sb.append("#\t0x").append(Long.toHexString(AddressTable.addressOf(f))).append('\t')
                    .append(f.functionName()).append("+0x0\t")
                    .append(f.sourcePath() == null ? "?" : f.sourcePath()).append(':').append(f.line()).append('\n');
        }
        sb.append('\n');
    }

    /** Go's %q for label text: quotes and backslashes escaped, control characters as \\uXXXX. */
    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c == '\n') sb.append("\\n");
            else if (c == '\t') sb.append("\\t");
            else if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }
}

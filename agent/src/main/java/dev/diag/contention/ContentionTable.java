package dev.diag.contention;

import dev.diag.pprof.Label;
import dev.diag.pprof.Sample;
import dev.diag.stack.StackKey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cumulative contention by site (stack and, for monitors, the holder's thread): Go's block/mutex bucket table.
 *
 * <p>Counts are kept as doubles because sampling scales them by fractions ({@code rate/d}), as Go's
 * {@code blockRecord.count} is a float64; they are rounded when a snapshot is taken. Written by the drainer and the
 * JFR stream thread, read by HTTP and the file writer: every method is synchronized (never on an application thread).
 */
final class ContentionTable {
    static final String HOLDER_LABEL = "holder_thread";

    /** Where contention was seen: a stack, and the thread that held the monitor (null when unknown or not a monitor). */
    private record Site(StackKey stack, String holder) {}

    private static final class Totals {
        double count;
        long delay;
    }

    private final Map<Site, Totals> sites = new HashMap<>();

    /** Adds {@code count} contentions and {@code delayNanos} of delay at a site. */
    synchronized void add(StackKey stack, String holder, double count, long delayNanos) {
        Totals t = sites.computeIfAbsent(new Site(stack, holder), k -> new Totals());
        t.count += count;
        t.delay += delayNanos;
    }

    /**
     * Adds one block event of {@code d} ns that was kept by sampling at {@code rate} (Go's {@code saveblockevent}): an
     * event shorter than the rate was kept with probability {@code d/rate}, so it stands for {@code rate/d} events
     * and {@code rate} ns; a longer one stands for itself.
     */
    void addBlockEvent(StackKey stack, long d, long rate) {
        long duration = Math.max(1, d);
        if (rate > duration) add(stack, null, (double) rate / duration, rate);
        else add(stack, null, 1, duration);
    }

    /** Returns the samples as of now: values {@code [contentions, delay ns]}, a holder label where known. */
    synchronized List<Sample> samples() {
        List<Sample> out = new ArrayList<>(sites.size());
        for (Map.Entry<Site, Totals> e : sites.entrySet()) {
            Site s = e.getKey();
            long count = Math.max(1, Math.round(e.getValue().count));
            List<Label> labels = s.holder() == null ? List.of() : List.of(Label.string(HOLDER_LABEL, s.holder()));
            out.add(new Sample(s.stack().frames(), new long[] {count, e.getValue().delay}, labels));
        }
        return out;
    }

    /** Returns the number of sites (Go's index page count). */
    synchronized int size() {
        return sites.size();
    }
}

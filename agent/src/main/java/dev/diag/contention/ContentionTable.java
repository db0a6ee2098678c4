package dev.diag.contention;

import dev.diag.pprof.Label;
import dev.diag.pprof.Sample;
import dev.diag.stack.Frame;
import dev.diag.stack.StackKey;
import dev.diag.stack.StackTable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cumulative contention by site (stack and, for monitors, the holder's thread): Go's block/mutex bucket table.
 *
 * <p>A site's stack is a {@link StackTable} id, whether a hook walked it or JFR recorded it, so stacks are bounded
 * by that table. Sites are bounded too ({@value #MAX_SITES}): a holder's name multiplies them, and threads come and
 * go by the million in some applications. Once full, events at a new site count under one site whose stack is
 * {@link #OVERFLOW_FRAME} (Go's {@code lostProfileEvent} idea: the lost detail stays visible in every graph) and in
 * {@link #dropped()}; known sites keep counting.
 *
 * <p>Counts are kept as doubles because sampling scales them by fractions ({@code rate/d}), as Go's
 * {@code blockRecord.count} is a float64; they are rounded when a snapshot is taken. Written by the drainer and the
 * JFR stream thread, read by HTTP and the file writer: every method is synchronized (never on an application thread).
 */
final class ContentionTable {
    static final String HOLDER_LABEL = "holder_thread";
    /** Most sites kept, the overflow site not counted. */
    static final int MAX_SITES = 16_384;
    /** The one frame of the site that counts events at new sites once the table is full. */
    static final Frame OVERFLOW_FRAME = new Frame("diag", "contentionTableFull", null, null, 0);

    /**
     * Where contention was seen: a stack id, the thread that held the monitor (null when unknown or not a monitor),
     * and the labels of the thread whose stack it is.
     */
    private record Site(int stackId, String holder, List<Label> labels) {}

    /** The site of events past the bound (no stack id is negative). */
    private static final Site OVERFLOW = new Site(-1, null, List.of());

    private static final class Totals {
        double count;
        long delay;
    }

    private final StackTable stacks;
    private final int maxSites;
    private final Map<Site, Totals> sites = new HashMap<>();
    private long dropped;

    ContentionTable(StackTable stacks) {
        this(stacks, MAX_SITES);
    }

    ContentionTable(StackTable stacks, int maxSites) {
        this.stacks = stacks;
        this.maxSites = maxSites;
    }

    /** Adds {@code count} contentions and {@code delayNanos} of delay at a site; {@code stackId} is from the table. */
    synchronized void add(int stackId, String holder, double count, long delayNanos) {
        add(stackId, holder, List.of(), count, delayNanos);
    }

    /** As {@link #add(int, String, double, long)}, at a site with labels. */
    synchronized void add(int stackId, String holder, List<Label> labels, double count, long delayNanos) {
        Site site = new Site(stackId, holder, labels);
        Totals t = sites.get(site);
        if (t == null) {
            if (sites.size() - (sites.containsKey(OVERFLOW) ? 1 : 0) >= maxSites) {
                dropped++;
                site = OVERFLOW;
            }
            t = sites.computeIfAbsent(site, k -> new Totals());
        }
        t.count += count;
        t.delay += delayNanos;
    }

    /**
     * Adds one block event of {@code d} ns that was kept by sampling at {@code rate} (Go's {@code saveblockevent}): an
     * event shorter than the rate was kept with probability {@code d/rate}, so it stands for {@code rate/d} events
     * and {@code rate} ns; a longer one stands for itself.
     */
    void addBlockEvent(int stackId, List<Label> labels, long d, long rate) {
        long duration = Math.max(1, d);
        if (rate > duration) add(stackId, null, labels, (double) rate / duration, rate);
        else add(stackId, null, labels, 1, duration);
    }

    /** Returns the samples as of now: values {@code [contentions, delay ns]}, a holder label where known. */
    synchronized List<Sample> samples() {
        List<Sample> out = new ArrayList<>(sites.size());
        for (Map.Entry<Site, Totals> e : sites.entrySet()) {
            Site s = e.getKey();
            StackKey stack = s.stackId() < 0 ? null : stacks.stack(s.stackId());
            Frame[] frames = stack == null ? new Frame[] {OVERFLOW_FRAME} : stack.frames();
            long count = Math.max(1, Math.round(e.getValue().count));
            List<Label> labels = s.labels();
            if (s.holder() != null) {
                labels = new ArrayList<>(s.labels());
                labels.add(Label.string(HOLDER_LABEL, s.holder()));
            }
            out.add(new Sample(frames, new long[] {count, e.getValue().delay}, labels));
        }
        return out;
    }

    /** Returns the number of sites (Go's index page count). */
    synchronized int size() {
        return sites.size();
    }

    /** Returns how many events came to a new site while the table was full, and were counted under the overflow site. */
    synchronized long dropped() {
        return dropped;
    }
}

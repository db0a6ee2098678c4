package dev.diag.labels;

import dev.diag.hook.LabelHook;
import dev.diag.hook.LabelSet;

/**
 * The one {@link LabelHook.Listener}: hands each label change, on the changing thread, to whichever followers are on,
 * the native engine's per-thread logs ({@link LabelTimeline}) and JFR ({@link ThreadLabels}, a
 * {@code dev.diag.LabelsChanged} event). Both can be on at once: the native sampler's CPU samples read the logs while
 * JFR's monitor events and allocation samples read the events. With neither on, the hook has no listener at all.
 */
final class LabelChanges implements LabelHook.Listener {
    private static final LabelChanges INSTANCE = new LabelChanges();

    private volatile LabelTimeline timeline;
    private volatile boolean toJfr;

    private LabelChanges() {}

    @Override
    public void labelsChanged(LabelSet labels) {
        LabelTimeline t = timeline;
        if (t != null) t.append(labels);
        if (toJfr) ThreadLabels.commit(labels);
    }

    /** Sends changes to {@code t}'s logs from now on, or, with null, to no log. */
    static synchronized void toTimeline(LabelTimeline t) {
        INSTANCE.timeline = t;
        INSTANCE.install();
    }

    /** Commits changes as JFR events from now on, or no longer. */
    static synchronized void toJfr(boolean on) {
        INSTANCE.toJfr = on;
        INSTANCE.install();
    }

    private void install() {
        LabelHook.setListener(timeline == null && !toJfr ? null : this);
    }
}

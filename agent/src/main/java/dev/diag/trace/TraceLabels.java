package dev.diag.trace;

import dev.diag.hook.LabelSet;

/**
 * How profile labels read in a trace: Go's format has no labels on goroutine events, so a change is a user log of the
 * goroutine, category {@value #LOG_CATEGORY}, message {@code key=value,key2=value2}; a region that runs inside an
 * OpenTelemetry span gets a log {@value #SPAN_CATEGORY} with the span's ids. Perfetto and JSON show labels as
 * arguments named {@code labels.KEY}.
 */
final class TraceLabels {
    /** The Go trace's user-log category of a label change. */
    static final String LOG_CATEGORY = "labels";
    /** The Go trace's user-log category of the span a region runs in. */
    static final String SPAN_CATEGORY = "span";
    /** Prefix of the Perfetto and JSON argument of a label: {@code labels.tenant}. */
    static final String ARG_PREFIX = "labels.";
    /** The labels of the current OpenTelemetry span ({@code dev.diag.otel.OtelSpanLabels}). */
    static final String TRACE_ID = "trace_id";
    static final String SPAN_ID = "span_id";
    static final String SPAN_NAME = "span_name";
    private static final String[] SPAN_KEYS = {TRACE_ID, SPAN_ID, SPAN_NAME};

    private TraceLabels() {}

    /** Returns the labels as {@code key=value} pairs joined by {@code ,}, in key order; empty for none. */
    static String text(LabelSet labels) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < labels.size(); i++) {
            if (i > 0) b.append(',');
            b.append(labels.key(i)).append('=').append(labels.value(i));
        }
        return b.toString();
    }

    /**
     * Returns the span labels of {@code labels} as {@code trace_id=T,span_id=S,span_name=N} (the name only when known),
     * or null when no span is current in them.
     */
    static String spanText(LabelSet labels) {
        if (labels.valueOf(SPAN_ID) == null) return null;
        StringBuilder b = new StringBuilder();
        for (String key : SPAN_KEYS) {
            String value = labels.valueOf(key);
            if (value == null) continue;
            if (b.length() > 0) b.append(',');
            b.append(key).append('=').append(value);
        }
        return b.toString();
    }
}

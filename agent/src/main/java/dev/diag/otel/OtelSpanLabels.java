package dev.diag.otel;

import dev.diag.hook.LabelSet;
import dev.diag.hook.SpanLabelHook;

/**
 * Computes the labels a thread has while an OpenTelemetry context is current: its labels with the context's span on
 * top. One {@link SpanReader} per context class, found on first use: each copy of OpenTelemetry (the application's,
 * another class loader's, the Java agent's shaded one) is read through its own classes.
 *
 * <p>Labels: {@code trace_id} and {@code span_id} of the current span (lower-case hex, as OpenTelemetry writes them);
 * {@code span_name}, the name of the span that began the trace in this process (its parent is remote or absent), kept
 * while spans of the same trace nest inside it and taken away when another trace's span becomes current. A context
 * without a valid span takes the three away. The thread's other labels stay.
 */
public final class OtelSpanLabels implements SpanLabelHook.Labeller {
    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";
    public static final String SPAN_NAME = "span_name";
    private static final String[] SPAN_LABELS = {TRACE_ID, SPAN_ID, SPAN_NAME};

    private final ClassValue<SpanReader> readers = new ClassValue<>() {
        @Override
        protected SpanReader computeValue(Class<?> contextClass) {
            return SpanReader.forContextClass(contextClass);
        }
    };

    @Override
    public Object spanOf(Object context) throws Throwable {
        SpanReader reader = readers.get(context.getClass());
        return reader == null ? null : reader.span(context);
    }

    /** As {@link #labelsFor(Object, Object, LabelSet)}, reading the context's span. */
    LabelSet labelsFor(Object context, LabelSet labels) throws Throwable {
        return labelsFor(context, spanOf(context), labels);
    }

    @Override
    public LabelSet labelsFor(Object context, Object span, LabelSet labels) throws Throwable {
        if (span == null) return labels; // not a context of an OpenTelemetry copy diag can read
        SpanReader reader = readers.get(context.getClass());
        Object spanContext = reader.spanContext(span);
        if (!reader.isValid(spanContext)) return labels.without(SPAN_LABELS);
        String traceId = reader.traceId(spanContext);
        String spanId = reader.spanId(spanContext);
        if (traceId.equals(labels.valueOf(TRACE_ID))) {
            // A span of the trace already current here: the local root's name stays.
            return spanId.equals(labels.valueOf(SPAN_ID)) ? labels : labels.with(SPAN_ID, spanId);
        }
        String rootName = reader.localRootName(span);
        if (rootName == null) return labels.without(SPAN_NAME).with(TRACE_ID, traceId, SPAN_ID, spanId);
        return labels.with(TRACE_ID, traceId, SPAN_ID, spanId, SPAN_NAME, rootName);
    }
}

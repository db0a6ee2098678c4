package example.checkout;

import dev.diag.api.Traced;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.instrumentation.annotations.WithSpan;

/**
 * Span-annotated application code for the trace's span ids (outside {@code dev.diag}, which diag never instruments):
 * {@link #charge} runs inside whatever span its caller made current; {@link #audit} gets its own span from
 * OpenTelemetry's Java agent when one is attached.
 */
public final class Payments {
    private Payments() {}

    @Traced("charge")
    public static void charge() {
        Billing.spin(20);
    }

    /** Returns the ids of the span current inside it: {trace id, span id}. */
    @WithSpan("audit")
    public static String[] audit() {
        Billing.spin(20);
        return new String[] {Span.current().getSpanContext().getTraceId(), Span.current().getSpanContext().getSpanId()};
    }
}

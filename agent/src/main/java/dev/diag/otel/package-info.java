/**
 * The link from OpenTelemetry spans to profile labels: while a span is current on a thread, diag's samples taken there
 * carry {@code trace_id} and {@code span_id} (and {@code span_name}, the local root span's name), the names Grafana
 * Pyroscope's span profiles use, so that a trace leads to its profile:
 *
 * <pre>go tool pprof -top -tagfocus=trace_id=4bf92f3577b34da6a3ce929d0e0e4736 prof/cpu.pb.gz</pre>
 *
 * <p>{@code dev.diag.instrument.OtelContextHooks} weaves the hot path ({@code dev.diag.hook.SpanLabelHook}) into
 * OpenTelemetry's context storage; this package reads a context's span through the application's own OpenTelemetry
 * classes ({@link dev.diag.otel.OtelSpanLabels}, {@link dev.diag.otel.SpanReader}), found by name and called through
 * method handles, so diag is built without OpenTelemetry.
 */
package dev.diag.otel;

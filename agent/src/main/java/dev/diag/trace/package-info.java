/**
 * The execution tracer, as Go's {@code runtime/trace} and {@code go tool trace}: who ran, who waited on what, who woke
 * whom, GC, and the application's own tasks, regions and logs.
 *
 * <p>A {@link dev.diag.trace.TraceRecorder} records one trace at a time: the hooks in {@code dev.diag.hook} append
 * annotations to a bounded {@link dev.diag.hook.TraceEventLog}; the park and unpark hooks write every park (with its
 * wait-site stack id) and wake-up into the shared event ring, which {@code diag-drainer} copies into the same log
 * ({@link dev.diag.trace.RingFeed}); and subscriptions to diag's JFR stream that last as long as the trace
 * ({@link dev.diag.trace.JfrTraceEvents}) supply {@code synchronized} and {@code Object.wait} waits with their owners and
 * notifiers, sleeps, thread starts and ends, GC and CPU samples. At the end, {@link dev.diag.trace.TimelineBuilder} merges both into one
 * consistent {@link dev.diag.trace.Timeline}, which each encoder writes in its format:
 * {@link dev.diag.trace.GoTraceEncoder} (Go 1.19's {@code go tool trace} format), {@link dev.diag.trace.PerfettoEncoder}
 * (Perfetto protobuf) and {@link dev.diag.trace.ChromeJsonEncoder} (Chrome trace-event JSON).
 * Profile labels are in every format: each change is recorded by {@code TraceHook.labelsChanged}, and
 * {@link dev.diag.trace.TraceLabels} says how they read (Go's user logs; Perfetto and JSON arguments).
 * {@link dev.diag.trace.TraceFile} serves {@code trace=FILE}; {@link dev.diag.trace.WindowedTracer} serves
 * {@code /debug/pprof/trace?seconds=F}.
 *
 * <pre>
 * java -javaagent:diag.jar=trace=app.trace -jar app.jar &amp;&amp; go tool trace app.trace
 * </pre>
 */
package dev.diag.trace;

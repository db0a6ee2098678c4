/**
 * diag's one in-process JFR stream, which every JFR-based feature shares: cpu, heap and allocs profiles,
 * {@code synchronized} contention for block and mutex, GC events for the tracer.
 *
 * <p>A feature asks {@link dev.diag.feature.FeatureContext#jfr()} for the {@link dev.diag.jfr.JfrSession} and subscribes an
 * {@link dev.diag.jfr.EventRequest} (event name, period, threshold, stack traces) with a consumer of
 * {@code RecordedEvent}s; {@link dev.diag.jfr.JfrStacks} turns their stacks into profile frames. JFR starts with the
 * first subscription, off the application's main thread (on {@code diag-init}), so a JVM that needs no JFR event
 * never pays for it. Where Go's runtime records profiles itself, the JVM's flight recorder is the closest source
 * with native stacks and no safepoint bias. When the runtime has no {@code jdk.jfr} module or JFR cannot create its
 * repository, one {@code diag:} line says so and only the JFR-based features are off.
 *
 * <pre>
 * java -javaagent:diag.jar=out=prof,profiles=cpu -jar app.jar   # starts the stream; prof/cpu.pb.gz at exit
 * </pre>
 */
package dev.diag.jfr;

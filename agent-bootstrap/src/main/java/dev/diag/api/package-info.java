/**
 * diag's public API: execution-trace annotations in the manner of Go's {@code runtime/trace}, profile labels as
 * Go's pprof labels ({@link dev.diag.api.Labels}), custom profiles as {@code pprof.NewProfile}
 * ({@link dev.diag.api.CustomProfile}) and the application's variables on {@code /debug/vars} as Go's {@code expvar}
 * ({@link dev.diag.api.Vars}: {@code curl -s http://127.0.0.1:6060/debug/vars}).
 *
 * <p>{@link dev.diag.api.Trace#newTask}, {@link dev.diag.api.Trace#region}, {@link dev.diag.api.Trace#log} and the
 * {@link dev.diag.api.Traced} annotation mark what the application is doing; a trace taken with
 * {@code -javaagent:diag.jar=trace=app.trace} (or {@code /debug/pprof/trace?seconds=5}) shows them per thread and
 * per task in {@code go tool trace app.trace} and ui.perfetto.dev. Compile against {@code agent-bootstrap}; at run
 * time diag's copy (in the bootstrap class loader) is the one used, and without diag every call is a cheap no-op.
 */
package dev.diag.api;

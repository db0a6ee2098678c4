/**
 * Goroutines for a JVM: every platform thread and, on JDK 21+, the virtual threads the JVM tracks
 * ({@code ThreadList}); Go's goroutine profile ({@code GoroutineProfile}), its {@code debug=2} stack dump in Go's
 * panic layout ({@code GoroutineDumpWriter}), and the threadcreate profile ({@code ThreadCreateProfile}, as Go's
 * {@code runtime.ThreadCreateProfile}).
 *
 * <pre>
 * curl -s 'http://127.0.0.1:6060/debug/pprof/goroutine?debug=2'
 * go tool pprof -top http://127.0.0.1:6060/debug/pprof/goroutine
 * </pre>
 */
package dev.diag.threads;

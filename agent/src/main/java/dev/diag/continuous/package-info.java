/**
 * Continuous profiling: with {@code interval=} (and optionally {@code duration=}, default the interval) diag records
 * a window of every profile named in {@code profiles} every interval and writes them into {@code out=} as
 * {@code <name>-<UTC time>.pb.gz}, the way a Go service feeds a continuous profiler by calling
 * {@code /debug/pprof/profile?seconds=N} and {@code /debug/pprof/allocs?seconds=N} on a timer.
 *
 * <pre>
 * java -javaagent:diag.jar=out=prof,interval=1m,duration=10s,profiles=cpu,allocs,block -jar app.jar
 * go tool pprof -top prof/cpu-20261125T101500Z.pb.gz
 * </pre>
 */
package dev.diag.continuous;

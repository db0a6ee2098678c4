/**
 * Go's CPU profile for a JVM, as {@code pprof.StartCPUProfile}: JFR CPU samples ({@code jdk.CPUTimeSample} on JDK 25
 * Linux, else {@code jdk.ExecutionSample}) weighted by each thread's measured CPU time, written at exit for
 * {@code out=} and recorded in windows for {@code /debug/pprof/profile?seconds=N} and continuous profiling.
 *
 * <pre>
 * java -javaagent:diag.jar=out=prof,profiles=cpu -jar app.jar
 * go tool pprof -top prof/cpu.pb.gz
 * </pre>
 */
package dev.diag.cpu;

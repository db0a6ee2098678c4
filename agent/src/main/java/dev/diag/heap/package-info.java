/**
 * Go's {@code heap} and {@code allocs} profiles for a JVM, from JFR: where the application allocates
 * ({@code jdk.ObjectAllocationSample}, bytes from each thread's exact allocated-byte counter) and what is still alive
 * ({@code jdk.OldObjectSample}, at most 256 live samples for the whole heap), as Go's {@code runtime.MemProfile}.
 *
 * <pre>
 * java -javaagent:diag.jar=out=prof,profiles=heap,allocs -jar app.jar
 * go tool pprof -sample_index=alloc_space -top prof/allocs.pb.gz
 * </pre>
 */
package dev.diag.heap;

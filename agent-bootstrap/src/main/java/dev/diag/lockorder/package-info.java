/**
 * The lock-order graph behind {@code lockorder=1}: which locks each thread holds ({@link dev.diag.lockorder.HeldLocks})
 * and, for every lock taken while another was held, an edge between them with its first stacks
 * ({@link dev.diag.lockorder.LockOrderGraph}). Two locks taken in opposite orders are a potential deadlock, reported
 * before it ever happens, as the Linux kernel's lockdep and Go's third-party {@code go-deadlock} do.
 *
 * <pre>
 * java -javaagent:diag.jar=http=6060,lockorder=1 -jar app.jar
 * curl http://127.0.0.1:6060/debug/pprof/lockorder
 * </pre>
 */
package dev.diag.lockorder;

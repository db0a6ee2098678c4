/**
 * Go's block and mutex profiles for the JVM.
 *
 * <p>Block (as Go's {@code runtime.SetBlockProfileRate}): where threads wait on synchronization. Every
 * {@code java.util.concurrent} wait parks in {@code LockSupport.park*}, which diag advises
 * ({@link dev.diag.instrument.ParkHooks}); {@code synchronized} contention and {@code Object.wait} come from
 * JFR's monitor events ({@link dev.diag.contention.MonitorContention}). {@code Thread.sleep} is not blocking, as
 * Go's {@code time.Sleep} is not. The top frame is the {@code java.util.concurrent} method the application called
 * ({@code ReentrantLock.lock}, {@code CountDownLatch.await}), as Go shows {@code sync.(*Mutex).Lock}.
 *
 * <p>Mutex (as {@code runtime.SetMutexProfileFraction}): who held the lock others waited for. For AQS-based locks the
 * releasing stack is charged, at each release, the waiting time of every thread still parked on that lock since the
 * previous release ({@link dev.diag.hook.MutexWaiters}). For monitors, JFR names only the holder's thread: the
 * waiter's stack is charged, labelled {@code holder_thread}.
 *
 * <p>Hooks write records into {@link dev.diag.ring.EventRing#SHARED}; the {@code diag-drainer} thread
 * ({@link dev.diag.contention.ContentionRecorder}, fed by the shared {@link dev.diag.drain.RingDrainer}) turns them into the profiles. Counters in {@code /debug/vars}:
 * {@code ring.seen}, {@code ring.recorded}, {@code ring.dropped}, {@code ring.max_occupancy}; and what the bounded tables
 * folded into their named overflow frames: {@code stacks.dropped} ({@code diag.stackTableFull}),
 * {@code block.sites_dropped} and {@code mutex.sites_dropped} ({@code diag.contentionTableFull}).
 *
 * <pre>
 * java -javaagent:diag.jar=out=prof,profiles=block,mutex -jar app.jar
 * go tool pprof -top prof/block.pb.gz
 * </pre>
 */
package dev.diag.contention;

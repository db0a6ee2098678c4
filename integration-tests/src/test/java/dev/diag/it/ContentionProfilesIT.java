package dev.diag.it;

import dev.diag.it.workloads.LockContentionWorkload;
import dev.diag.it.workloads.LockStressWorkload;
import dev.diag.it.workloads.PinnedVirtualWorkload;
import dev.diag.it.workloads.PrimitivesWorkload;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

/**
 * Block and mutex profiles on real JVMs against workloads that measure their own waiting; read with
 * {@code go tool pprof -raw}. Accuracy checks retry once with a window twice as long (timing noise on shared CI),
 * never with a sleep.
 */
class ContentionProfilesIT {
    private static final String LOCK_SITE = "LockContentionWorkload.waitForLock";
    private static final String MONITOR_SITE = "LockContentionWorkload.waitForMonitor";
    private static final String HOLDER_METHOD = "LockContentionWorkload.holdLockLong";
    private static final String STAMPED_SITE = "LockContentionWorkload.waitForStamped";
    private static final String STAMPED_HOLDER = "LockContentionWorkload.holdStampedLong";

    @Test
    void givenBothRates1_whenWaitersContendOnReentrantLock_thenBlockAtCallSiteAndMutexOnHolder(@TempDir Path dir)
            throws Exception {
        Profiles p = runUntil(Jdk.current(), "reentrant", "block.rate=1,mutex.fraction=1", dir,
                r -> within25(r.block.sum("delay/nanoseconds", s -> s.hasFrame(LOCK_SITE)), r.truth("waited_ns"))
                        && holderShare(r.mutex, s -> s.hasFrame(HOLDER_METHOD)) >= 0.80);

        assertThat(p.block.sum("delay/nanoseconds", s -> s.hasFrame(LOCK_SITE)))
                .isCloseTo(p.truth("waited_ns"), withPercentage(25));
        assertThat(p.block.samples).filteredOn(s -> s.hasFrame(LOCK_SITE) && !isJvmInternalWait(s)).isNotEmpty()
                .allSatisfy(s -> assertThat(s.stack().get(0)).isEqualTo("java.util.concurrent.locks.ReentrantLock.lock"));
        assertThat(holderShare(p.mutex, s -> s.hasFrame(HOLDER_METHOD))).isGreaterThanOrEqualTo(0.80);
        assertThat(p.mutex.samples).filteredOn(s -> s.hasFrame(HOLDER_METHOD))
                .allSatisfy(s -> assertThat(s.stack().get(0)).isEqualTo("java.util.concurrent.locks.ReentrantLock.unlock"));
        assertThat(p.block.sampleTypes).containsExactly("contentions/count", "delay/nanoseconds");
        assertThat(p.block.header.get("PeriodType")).isEqualTo("contentions count");
    }

    @Test
    void givenBothRates1_whenWaitersContendOnSynchronized_thenBlockAtCallSiteAndMutexLabelsTheHolderThread(
            @TempDir Path dir) throws Exception {
        Profiles p = runUntil(Jdk.current(), "synchronized", "block.rate=1,mutex.fraction=1", dir,
                r -> within25(r.block.sum("delay/nanoseconds", s -> s.hasFrame(MONITOR_SITE)), r.truth("waited_ns"))
                        && holderShare(r.mutex, s -> s.labels().contains("holder_thread:[holder]")) >= 0.80);

        assertThat(p.block.sum("delay/nanoseconds", s -> s.hasFrame(MONITOR_SITE)))
                .isCloseTo(p.truth("waited_ns"), withPercentage(25));
        assertThat(p.block.samples).filteredOn(s -> s.hasFrame(MONITOR_SITE) && !isJvmInternalWait(s)).isNotEmpty()
                .allSatisfy(s -> assertThat(s.stack().get(0)).endsWith(MONITOR_SITE));
        assertThat(holderShare(p.mutex, s -> s.labels().contains("holder_thread:[holder]")))
                .isGreaterThanOrEqualTo(0.80);
    }

    @Test
    void givenBothRates1_whenWaitersContendOnStampedLock_thenBlockAtWriteLockAndMutexOnHolderAtUnlockWrite(
            @TempDir Path dir) throws Exception {
        Profiles p = runUntil(Jdk.current(), "stamped", "block.rate=1,mutex.fraction=1", dir,
                r -> within25(r.block.sum("delay/nanoseconds", s -> s.hasFrame(STAMPED_SITE)), r.truth("waited_ns"))
                        && holderShare(r.mutex, s -> s.hasFrame(STAMPED_HOLDER)) >= 0.80);

        assertThat(p.block.sum("delay/nanoseconds", s -> s.hasFrame(STAMPED_SITE)))
                .isCloseTo(p.truth("waited_ns"), withPercentage(25));
        assertThat(p.block.samples).filteredOn(s -> s.hasFrame(STAMPED_SITE) && !isJvmInternalWait(s)).isNotEmpty()
                .allSatisfy(s -> assertThat(s.stack().get(0))
                        .isEqualTo("java.util.concurrent.locks.StampedLock.writeLock"));
        assertThat(holderShare(p.mutex, s -> s.hasFrame(STAMPED_HOLDER))).isGreaterThanOrEqualTo(0.80);
        assertThat(p.mutex.samples).filteredOn(s -> s.hasFrame(STAMPED_HOLDER)).isNotEmpty()
                .allSatisfy(s -> assertThat(s.stack().get(0))
                        .isEqualTo("java.util.concurrent.locks.StampedLock.unlockWrite"));
    }

    @Test
    void givenBlockRate10ms_whenWaitsAreShorterThanTheRate_thenScaledTotalIsStillUnbiased(@TempDir Path dir)
            throws Exception {
        Profiles p = runUntil(Jdk.current(), "reentrant", "block.rate=10000000", dir,
                r -> within25(r.block.sum("delay/nanoseconds", s -> s.hasFrame(LOCK_SITE)), r.truth("waited_ns")));

        assertThat(p.block.sum("delay/nanoseconds", s -> s.hasFrame(LOCK_SITE)))
                .isCloseTo(p.truth("waited_ns"), withPercentage(25));
    }

    @Test
    void givenMutexFraction10_whenWaitersContendOnReentrantLock_thenOneInTenScaledByTenKeepsTheTotalAndTheHolder(
            @TempDir Path dir) throws Exception {
        // About 400 contended waits in 2 s, 1 in 10 tracked: the scaled total is noisier than at 1, hence 35%.
        Profiles p = runUntil(Jdk.current(), "reentrant", "mutex.fraction=10", dir,
                r -> within(r.mutex.total("delay/nanoseconds"), r.truth("waited_ns"), 0.35)
                        && holderShare(r.mutex, s -> s.hasFrame(HOLDER_METHOD)) >= 0.80);

        assertThat(p.mutex.total("delay/nanoseconds")).as("scaled by the fraction, as Go's mutex profile")
                .isCloseTo(p.truth("waited_ns"), withPercentage(35));
        assertThat(holderShare(p.mutex, s -> s.hasFrame(HOLDER_METHOD))).isGreaterThanOrEqualTo(0.80);
    }

    @Test
    void givenJdk25_whenVirtualThreadsWaitOnReentrantLock_thenSameBlockAndMutexAccuracy(@TempDir Path dir)
            throws Exception {
        Jdk jdk = Jdk.atLeast(21);
        Assumptions.assumeTrue(jdk != null, "no JDK 21+ on this machine");

        Profiles p = runUntil(jdk, "virtual", "block.rate=1,mutex.fraction=1", dir,
                r -> within25(r.block.sum("delay/nanoseconds", s -> s.hasFrame(LOCK_SITE)), r.truth("waited_ns"))
                        && holderShare(r.mutex, s -> s.hasFrame(HOLDER_METHOD)) >= 0.80);

        assertThat(p.block.sum("delay/nanoseconds", s -> s.hasFrame(LOCK_SITE)))
                .isCloseTo(p.truth("waited_ns"), withPercentage(25));
        assertThat(p.block.samples).filteredOn(s -> s.hasFrame(LOCK_SITE) && !isJvmInternalWait(s)).isNotEmpty()
                .allSatisfy(s -> assertThat(s.stack().get(0)).isEqualTo("java.util.concurrent.locks.ReentrantLock.lock"));
        assertThat(holderShare(p.mutex, s -> s.hasFrame(HOLDER_METHOD))).isGreaterThanOrEqualTo(0.80);
    }

    @Test
    void givenJdk21PlusAndBlockRate1_whenAVirtualThreadWaitsPinnedToItsCarrier_thenItsWaitIsInTheBlockProfile(
            @TempDir Path dir) throws Exception {
        Jdk jdk = Jdk.atLeast(21);
        Assumptions.assumeTrue(jdk != null, "no JDK 21+ on this machine");
        Map<String, Long> truth = null;
        RawProfile block = null;
        for (long holdMillis = 200; holdMillis <= 800; holdMillis *= 4) { // a miss (scheduling noise): hold longer
            Path out = Files.createDirectories(dir.resolve("hold-" + holdMillis));
            AgentJvm jvm = AgentJvm.of(PinnedVirtualWorkload.class).jdk(jdk).agent("out=" + out + ",profiles=block")
                    .args(Long.toString(holdMillis)).start();
            assertThat(jvm.waitForExit(Duration.ofSeconds(60))).as("exit; stderr %s", jvm.stderr()).isEqualTo(0);
            truth = truths(jvm.stdout());
            block = GoTool.raw(out.resolve("block.pb.gz"));
            if (within25(block.sum("delay/nanoseconds", s -> s.hasFrame("waitWhilePinned")), truth.get("pinned_ns"))
                    && within25(block.sum("delay/nanoseconds", s -> s.hasFrame("waitUnpinned")),
                    truth.get("unpinned_ns"))) {
                break;
            }
        }

        RawProfile blocks = block;
        assertThat(blocks.samples)
                .filteredOn(s -> s.hasFrame("PinnedVirtualWorkload.waitWhilePinned") && !isJvmInternalWait(s)).isNotEmpty()
                .allSatisfy(s -> assertThat(s.stack()).startsWith("java.util.concurrent.locks.ReentrantLock.lock",
                        "dev.diag.it.workloads.PinnedVirtualWorkload.waitWhilePinned",
                        "dev.diag.it.workloads.PinnedVirtualWorkload$PinnedInit.<clinit>"));
        assertThat(blocks.sum("delay/nanoseconds", s -> s.hasFrame("waitWhilePinned")))
                .isCloseTo(truth.get("pinned_ns"), withPercentage(25));
        assertThat(blocks.sum("delay/nanoseconds", s -> s.hasFrame("waitUnpinned")))
                .isCloseTo(truth.get("unpinned_ns"), withPercentage(25));
    }

    @ParameterizedTest
    @MethodSource("dev.diag.it.Jdk#all")
    void givenBlockAndMutex_whenThreadsWaitOnEachPrimitive_thenBlockShowsEachAtItsApiMethodSleepNoneAndMutexNone(
            Jdk jdk, @TempDir Path dir) throws Exception {
        String[][] rows = {
                {"PrimitivesWorkload.awaitLatch", "java.util.concurrent.CountDownLatch.await", "latch_ns"},
                {"PrimitivesWorkload.takeFromQueue", "java.util.concurrent.ArrayBlockingQueue.take", "queue_ns"},
                {"PrimitivesWorkload.acquirePermit", "java.util.concurrent.Semaphore.acquire", "permit_ns"},
                {"PrimitivesWorkload.getFuture", "java.util.concurrent.CompletableFuture.get", "future_ns"},
                {"PrimitivesWorkload.awaitBarrier", "java.util.concurrent.CyclicBarrier.await", "barrier_ns"},
                {"PrimitivesWorkload.awaitPhase", "java.util.concurrent.Phaser.arriveAndAwaitAdvance", "phaser_ns"},
                {"PrimitivesWorkload.takeHandOff", "java.util.concurrent.SynchronousQueue.take", "handoff_ns"},
                {"PrimitivesWorkload.getTask", "java.util.concurrent.FutureTask.get", "task_ns"},
                {"PrimitivesWorkload$Monitor.waitForNotify", "java.lang.Object.wait", "notify_ns"}};
        Map<String, Long> truth = null;
        RawProfile block = null;
        Path out = null;
        for (long gapMillis = 20; gapMillis <= 80; gapMillis *= 4) { // a miss (scheduling noise) earns longer waits
            out = Files.createDirectories(dir.resolve("gap-" + gapMillis));
            AgentJvm jvm = AgentJvm.of(PrimitivesWorkload.class).jdk(jdk).agent("out=" + out + ",profiles=block,mutex")
                    .args(Long.toString(gapMillis)).start();
            assertThat(jvm.waitForExit(Duration.ofSeconds(60))).as("exit; stderr %s", jvm.stderr()).isEqualTo(0);
            truth = truths(jvm.stdout());
            block = GoTool.raw(out.resolve("block.pb.gz"));
            boolean good = true;
            for (String[] row : rows) {
                good &= within25(block.sum("delay/nanoseconds", s -> s.hasFrame(row[0])), truth.get(row[2]));
            }
            if (good) break;
        }

        RawProfile blocks = block;
        Map<String, Long> truths = truth;
        for (String[] row : rows) {
            assertThat(blocks.samples).as(row[0]).filteredOn(s -> s.hasFrame(row[0]) && !isJvmInternalWait(s)).isNotEmpty()
                    .allSatisfy(s -> assertThat(s.stack().get(0)).as("top frame above %s", row[0]).isEqualTo(row[1]));
            assertThat(blocks.sum("delay/nanoseconds", s -> s.hasFrame(row[0]))).as(row[0])
                    .isCloseTo(truths.get(row[2]), withPercentage(25));
        }
        assertThat(truths.get("sleep_ns")).as("the sleeper slept").isGreaterThan(0);
        assertThat(blocks.samples).as("Thread.sleep is not blocking, as Go does not count time.Sleep")
                .noneMatch(s -> s.hasFrame("PrimitivesWorkload.sleepAWhile"));
        // Nobody holds a latch, a semaphore permit, an empty queue or a future: the mutex profile is about locks held.
        // A class initializer's lock is held, though (a waiter that first touches a class another thread is still
        // initializing, such as AQS's node classes, is charged to that thread): those samples are right, not the API's.
        RawProfile mutex = GoTool.raw(out.resolve("mutex.pb.gz"));
        assertThat(mutex.samples).filteredOn(s -> !isJvmInternalWait(s)).noneMatch(s -> s.hasFrame("CountDownLatch.countDown") || s.hasFrame("Semaphore.release")
                || s.hasFrame("CompletableFuture.complete") || s.hasFrame("PrimitivesWorkload.awaitLatch")
                || s.hasFrame("PrimitivesWorkload.acquirePermit") || s.hasFrame("PrimitivesWorkload.getFuture"));
    }

    @Test
    void givenTinyRingAnd16ThreadsHammeringLocks_whenRunFor10s_thenAppRunsOnDropsAreCountedAndProfileIsValid(
            @TempDir Path dir) throws Exception {
        AgentJvm jvm = AgentJvm.of(LockStressWorkload.class).jvmArg("-Ddiag.ring.capacity=64")
                .agent("out=" + dir + ",profiles=block,mutex").args("10000").start();

        int exit = jvm.waitForExit(Duration.ofSeconds(90));

        assertThat(exit).as("stderr: %s", jvm.stderr()).isEqualTo(0);
        assertThat(jvm.stderrWithoutJvmWarnings()).isEmpty();
        Map<String, Long> out = truths(jvm.stdout());
        assertThat(out.get("minThreadOps")).as("every thread made progress").isGreaterThan(0);
        assertThat(out.get("dropped")).as("drops counted with a 64-record ring").isGreaterThan(0);
        RawProfile block = GoTool.raw(dir.resolve("block.pb.gz"));
        RawProfile mutex = GoTool.raw(dir.resolve("mutex.pb.gz"));
        assertThat(block.total("delay/nanoseconds")).isGreaterThan(0);
        assertThat(mutex.total("delay/nanoseconds")).isGreaterThan(0);
        assertThat(block.samples).allSatisfy(s -> assertThat(s.stack())
                .noneMatch(f -> f.startsWith("dev.diag.hook.") || f.startsWith("dev.diag.ring.")));
    }

    /** One workload run: its measured truths and the two profiles it wrote. */
    private record Profiles(Map<String, Long> truths, RawProfile block, RawProfile mutex) {
        long truth(String key) {
            return truths.get(key);
        }
    }

    /** Runs the lock workload for 2 s; when {@code good} fails (timing noise), once more for 4 s. */
    private static Profiles runUntil(Jdk jdk, String mode, String options, Path dir, Predicate<Profiles> good)
            throws Exception {
        Profiles p = null;
        for (long ms = 2000; ms <= 4000; ms *= 2) {
            Path out = Files.createDirectories(dir.resolve(mode + "-" + ms));
            AgentJvm jvm = AgentJvm.of(LockContentionWorkload.class).jdk(jdk)
                    .agent("out=" + out + ",profiles=block,mutex," + options).args(mode, Long.toString(ms)).start();
            int exit = jvm.waitForExit(Duration.ofSeconds(60));
            assertThat(exit).as("exit code; stderr: %s", jvm.stderr()).isEqualTo(0);
            assertThat(jvm.stderrWithoutJvmWarnings()).isEmpty();
            p = new Profiles(truths(jvm.stdout()), GoTool.raw(out.resolve("block.pb.gz")),
                    GoTool.raw(out.resolve("mutex.pb.gz")));
            if (good.test(p)) break;
        }
        return p;
    }

    /**
     * Returns whether the sample is a one-time wait inside the JVM's own first-use work rather than in the primitive:
     * a thread that first touches a class still being initialized waits for its initializer (the JVM reports it as a
     * monitor wait), and the first call of a {@code VarHandle} operation links it, which can wait on a lock of the
     * JDK's method-type cache (seen on JDK 25 under load, inside {@code Phaser.arriveAndAwaitAdvance}). Such a wait
     * has its own leaf; the remaining waits must show the primitive's API method on top.
     */
    private static boolean isJvmInternalWait(RawProfile.Sample s) {
        return s.stack().get(0).equals("jvm.waitForClassInitialization")
                || s.stack().stream().anyMatch(f -> f.startsWith("java.lang.invoke.MethodHandleNatives.link"));
    }

    private static boolean within25(long measured, long truth) {
        return within(measured, truth, 0.25);
    }

    private static boolean within(long measured, long truth, double fraction) {
        return Math.abs(measured - truth) <= fraction * truth;
    }

    private static double holderShare(RawProfile mutex, Predicate<RawProfile.Sample> holder) {
        long total = mutex.total("delay/nanoseconds");
        return total == 0 ? 0 : (double) mutex.sum("delay/nanoseconds", holder) / total;
    }

    /** Parses {@code key=number} tokens from a workload's stdout. */
    private static Map<String, Long> truths(String stdout) {
        Map<String, Long> out = new HashMap<>();
        for (String token : stdout.trim().split("\\s+")) {
            int eq = token.indexOf('=');
            if (eq > 0) out.put(token.substring(0, eq), Long.parseLong(token.substring(eq + 1)));
        }
        return out;
    }
}

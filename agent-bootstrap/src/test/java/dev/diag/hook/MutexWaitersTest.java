package dev.diag.hook;

import dev.diag.ring.EventRing;
import dev.diag.ring.RecordType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;

/** The mutex charging rule and Go's block sampling, driven directly (no agent, no real park). */
class MutexWaitersTest {
    private final Object lock = new ReentrantLock(); // a Lock: parks on it are waits for a held lock

    @BeforeEach
    void setUp() {
        drain();
    }

    @AfterEach
    void tearDown() {
        MutexWaiters.setFraction(0);
        ParkHook.setBlockRate(0);
        drain();
    }

    @Test
    void givenWaiterParked_whenLockReleasedTwice_thenEachReleaseIsChargedOnlyTheWaitSinceThePreviousOne()
            throws Exception {
        MutexWaiters.setFraction(1);
        int slot = MutexWaiters.enter(lock);
        Thread.sleep(20);

        long before = System.nanoTime();
        MutexWaiters.onRelease(lock);
        long between = System.nanoTime();
        MutexWaiters.onRelease(lock);
        MutexWaiters.onRelease(new ReentrantLock()); // another lock: nothing to charge
        ParkHook.exit(0, slot, lock);
        MutexWaiters.onRelease(lock); // the waiter left: nothing to charge

        List<long[]> mutex = drain();
        assertThat(mutex).hasSize(2);
        assertThat(mutex.get(0)[0]).as("first release: the whole wait").isGreaterThanOrEqualTo(20_000_000L);
        assertThat(mutex.get(1)[0]).as("second release: only since the first").isLessThanOrEqualTo(
                System.nanoTime() - before).isLessThan(mutex.get(0)[0]);
        assertThat(mutex).allSatisfy(r -> assertThat(r[1]).as("contentions").isEqualTo(1));
        assertThat(MutexWaiters.tracked()).isZero();
        assertThat(between).isGreaterThan(before);
    }

    @Test
    void givenBlockerClasses_whenClassified_thenLocksHeldCountAndLatchesSemaphoresConditionsDoNot() throws Exception {
        String[] locks = {"java.util.concurrent.locks.ReentrantLock$NonfairSync",
                "java.util.concurrent.locks.ReentrantLock$FairSync",
                "java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync",
                "java.util.concurrent.locks.StampedLock"};
        String[] notLocks = {"java.util.concurrent.CountDownLatch$Sync", "java.util.concurrent.Semaphore$NonfairSync",
                "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject",
                "java.util.concurrent.CompletableFuture$Signaller", "java.util.concurrent.FutureTask",
                "java.util.concurrent.ThreadPoolExecutor$Worker", "java.lang.Object"};

        for (String name : locks) {
            assertThat(MutexWaiters.isHeldLock(Class.forName(name))).as(name).isTrue();
        }
        for (String name : notLocks) {
            assertThat(MutexWaiters.isHeldLock(Class.forName(name))).as(name).isFalse();
        }
    }

    @Test
    void givenFraction1_whenThreadParksOnALatch_thenItIsNotTrackedForTheMutexProfile() throws Exception {
        MutexWaiters.setFraction(1);
        Object latchSync = syncOf(new CountDownLatch(1));

        int slot = MutexWaiters.enter(latchSync);
        MutexWaiters.onRelease(latchSync);

        assertThat(slot).isZero();
        assertThat(drain()).isEmpty();
    }

    /** Returns the blocker a thread waiting in {@code latch.await()} parks on (the latch's AQS). */
    private static Object syncOf(CountDownLatch latch) throws Exception {
        Thread waiter = new Thread(() -> {
            try {
                latch.await();
            } catch (InterruptedException ignored) {
                // released by the test
            }
        });
        waiter.start();
        Object blocker;
        while ((blocker = LockSupport.getBlocker(waiter)) == null) Thread.onSpinWait();
        latch.countDown();
        waiter.join();
        return blocker;
    }

    @Test
    void givenFraction10_whenManyWaitersPark_thenAboutOneInTenIsTrackedAndChargesAreWeightedByTen() {
        MutexWaiters.setFraction(10);
        int tracked = 0;
        for (int i = 0; i < 2000; i++) {
            int slot = MutexWaiters.enter(lock);
            if (slot != 0) {
                tracked++;
                MutexWaiters.onRelease(lock);
                ParkHook.exit(0, slot, lock);
            }
        }

        List<long[]> mutex = drain();
        assertThat(tracked).isBetween(120, 280); // 200 expected; 6 sigma is about ±80
        assertThat(mutex).allSatisfy(r -> assertThat(r[1]).isEqualTo(10));
    }

    @Test
    void givenBlockRate1_whenParkEnds_thenEveryParkIsRecordedWithItsDurationAndTheRate() throws Exception {
        ParkHook.setBlockRate(1);

        long start = ParkHook.enter();
        Thread.sleep(5);
        ParkHook.exit(start, 0, lock);

        List<long[]> block = drainType(RecordType.BLOCK);
        assertThat(block).hasSize(1);
        assertThat(block.get(0)[0]).isGreaterThanOrEqualTo(5_000_000L);
        assertThat(block.get(0)[1]).as("rate in force").isEqualTo(1);
    }

    @Test
    void givenBlockOff_whenPark_thenEnterReturnsZeroAndNothingIsRecorded() {
        ParkHook.setBlockRate(0);

        long start = ParkHook.enter();
        ParkHook.exit(start, 0, lock);

        assertThat(start).isZero();
        assertThat(drainType(RecordType.BLOCK)).isEmpty();
    }

    private static List<long[]> drain() {
        return drainType(RecordType.MUTEX);
    }

    /** Drains the shared ring; returns {duration, extra1} of the records of one type, in order. */
    private static List<long[]> drainType(int type) {
        List<long[]> out = new ArrayList<>();
        while (EventRing.SHARED.drain(r -> {
            if (r.type() == type) out.add(new long[] {r.duration(), r.extra1()});
        }, 1024) > 0) {
            // until empty
        }
        return out;
    }
}

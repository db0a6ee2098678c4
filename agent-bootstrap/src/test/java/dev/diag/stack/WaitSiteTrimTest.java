package dev.diag.stack;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which frames are synchronization plumbing. (The top frame of real captures is checked by the integration tests:
 * a capture needs a hooked park to start in.)
 */
class WaitSiteTrimTest {

    @Test
    void givenJucFrames_whenClassified_thenPlumbingIsAqsLockSupportUnsafeAndNonPublicJucClasses() throws Exception {
        Class<?> sync = Class.forName("java.util.concurrent.locks.ReentrantLock$Sync");

        assertThat(WaitSiteTrim.isPlumbing(null, "java.util.concurrent.locks.LockSupport", "park")).isTrue();
        assertThat(WaitSiteTrim.isPlumbing(null, "java.util.concurrent.locks.AbstractQueuedSynchronizer",
                "acquire")).isTrue();
        assertThat(WaitSiteTrim.isPlumbing(null,
                "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject", "await")).isTrue();
        assertThat(WaitSiteTrim.isPlumbing(null, "jdk.internal.misc.Unsafe", "park")).isTrue();
        assertThat(WaitSiteTrim.isPlumbing(null, "java.util.concurrent.ForkJoinPool", "managedBlock")).isTrue();
        assertThat(WaitSiteTrim.isPlumbing(sync, sync.getName(), "lock")).isTrue();

        assertThat(WaitSiteTrim.isPlumbing(ReentrantLock.class, ReentrantLock.class.getName(), "lock")).isFalse();
        assertThat(WaitSiteTrim.isPlumbing(CountDownLatch.class, CountDownLatch.class.getName(), "await"))
                .isFalse();
        assertThat(WaitSiteTrim.isPlumbing(WaitSiteTrimTest.class, WaitSiteTrimTest.class.getName(), "x"))
                .isFalse();
    }
}

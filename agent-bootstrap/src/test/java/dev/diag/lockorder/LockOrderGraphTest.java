package dev.diag.lockorder;

import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The graph is one static table per JVM: each test uses locks of its own. */
class LockOrderGraphTest {
    @Test
    void givenNewLock_whenFound_thenAbsentUntilAddedAndThenTheSameNode() {
        Object lock = new Object();

        int before = LockOrderGraph.find(lock);
        int added = LockOrderGraph.findOrAdd(lock);

        assertThat(before).isEqualTo(-1);
        assertThat(added).isNotNegative();
        assertThat(LockOrderGraph.find(lock)).isEqualTo(added);
        assertThat(LockOrderGraph.findOrAdd(lock)).isEqualTo(added);
        assertThat(LockOrderGraph.nodeName(added)).isEqualTo("java.lang.Object");
    }

    @Test
    void givenEdge_whenAddedTwice_thenOnceWithTheFirstOccurrenceAndItsReverseAbsent() {
        int a = LockOrderGraph.findOrAdd(new Object());
        int b = LockOrderGraph.findOrAdd(new Object());

        boolean first = LockOrderGraph.addEdge(a, b, 11, 12, Thread.currentThread());
        boolean second = LockOrderGraph.addEdge(a, b, 21, 22, Thread.currentThread());

        int edge = LockOrderGraph.findEdge(a, b);
        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(LockOrderGraph.edgeInnerSite(edge)).isEqualTo(11);
        assertThat(LockOrderGraph.edgeOuterSite(edge)).isEqualTo(12);
        assertThat(LockOrderGraph.edgeThreadName(edge)).isEqualTo(Thread.currentThread().getName());
        assertThat(LockOrderGraph.findEdge(b, a)).isEqualTo(-1);
    }

    @Test
    void givenNode_whenItsLockIsOnlyWeaklyReachable_thenTheLockIsCollected() {
        Object lock = new Object();
        int node = LockOrderGraph.findOrAdd(lock);
        WeakReference<Object> watch = new WeakReference<>(lock);
        lock = null;

        await().until(() -> {
            System.gc();
            return watch.get() == null;
        });

        assertThat(LockOrderGraph.nodeIdentity(node)).isZero();
        assertThat(LockOrderGraph.nodeName(node)).isEqualTo("java.lang.Object");
    }

    @Test
    void givenKnownLock_whenAskedForSites_thenOnlyTheFirstFewAcquisitionsKeepTheirStack() {
        int node = LockOrderGraph.findOrAdd(new Object());

        int taken = 0;
        for (int i = 0; i < 3 * LockOrderGraph.SITES_PER_LOCK; i++) if (LockOrderGraph.takesSite(node)) taken++;

        assertThat(taken).isEqualTo(LockOrderGraph.SITES_PER_LOCK);
    }
}

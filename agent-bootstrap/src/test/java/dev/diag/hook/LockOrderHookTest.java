package dev.diag.hook;

import dev.diag.lockorder.LockOrderGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives the hooks as the woven lock methods do; the graph is per JVM, so every test has locks of its own. */
class LockOrderHookTest {
    private final Object a = new Object();
    private final Object b = new Object();

    @BeforeEach
    void on() {
        LockOrderHook.setEnabled(true);
    }

    @AfterEach
    void off() {
        LockOrderHook.setEnabled(false);
    }

    @Test
    void givenTwoThreadsTakingTwoLocksInOppositeOrders_whenTheSecondNests_thenBothOrdersAreEdgesAndOneInversion()
            throws InterruptedException {
        long before = LockOrderGraph.inversions();

        run("first", () -> nest(a, b));
        run("second", () -> nest(b, a));

        int na = LockOrderGraph.find(a);
        int nb = LockOrderGraph.find(b);
        assertThat(LockOrderGraph.findEdge(na, nb)).isNotNegative();
        assertThat(LockOrderGraph.findEdge(nb, na)).isNotNegative();
        assertThat(LockOrderGraph.inversions() - before).isEqualTo(1);
        assertThat(LockOrderGraph.edgeThreadName(LockOrderGraph.findEdge(nb, na))).isEqualTo("second");
        assertThat(LockOrderGraph.edgeInnerSite(LockOrderGraph.findEdge(na, nb))).isPositive();
    }

    @Test
    void givenTryLock_whenTakenWhileHoldingAnother_thenNoEdgeIntoItButEdgesOutOfIt() throws InterruptedException {
        Object c = new Object();

        run("one", () -> {
            LockOrderHook.onLock(a);
            LockOrderHook.onTryLock(true, b);
            LockOrderHook.onLock(c);
            LockOrderHook.onUnlock(c);
            LockOrderHook.onUnlock(b);
            LockOrderHook.onUnlock(a);
        });

        int na = LockOrderGraph.find(a);
        int nb = LockOrderGraph.find(b);
        int nc = LockOrderGraph.find(c);
        assertThat(nb).isNotNegative();
        assertThat(LockOrderGraph.findEdge(na, nb)).isEqualTo(-1);
        assertThat(LockOrderGraph.findEdge(nb, nc)).isNotNegative();
        assertThat(LockOrderGraph.findEdge(na, nc)).isNotNegative();
    }

    @Test
    void givenReentry_whenTheLockIsTakenAgainWhileHeld_thenNoEdgeToItself() throws InterruptedException {
        run("one", () -> {
            LockOrderHook.onLock(a);
            LockOrderHook.onLock(a);
            LockOrderHook.onLock(b);
            LockOrderHook.onUnlock(b);
            LockOrderHook.onUnlock(a);
            LockOrderHook.onUnlock(a);
            LockOrderHook.onLock(b); // a is no longer held: no edge from it, and none from b to itself
            LockOrderHook.onUnlock(b);
        });

        int na = LockOrderGraph.find(a);
        int nb = LockOrderGraph.find(b);
        assertThat(LockOrderGraph.findEdge(na, na)).isEqualTo(-1);
        assertThat(LockOrderGraph.findEdge(nb, nb)).isEqualTo(-1);
        assertThat(LockOrderGraph.findEdge(na, nb)).isNotNegative();
        assertThat(LockOrderGraph.findEdge(nb, na)).isEqualTo(-1);
    }

    @Test
    void givenLockorderOff_whenLocksNest_thenNothingIsAdded() throws InterruptedException {
        LockOrderHook.setEnabled(false);

        run("one", () -> nest(a, b));

        assertThat(LockOrderGraph.find(a)).isEqualTo(-1);
        assertThat(LockOrderGraph.find(b)).isEqualTo(-1);
    }

    private static void nest(Object outer, Object inner) {
        LockOrderHook.onLock(outer);
        LockOrderHook.onLock(inner);
        LockOrderHook.onUnlock(inner);
        LockOrderHook.onUnlock(outer);
    }

    /** Runs {@code body} on a new thread of that name and waits for it to end. */
    private static void run(String name, Runnable body) throws InterruptedException {
        Thread t = new Thread(body, name);
        t.start();
        t.join();
    }
}

package dev.diag.lockorder;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeldLocksTest {
    @Test
    void givenReenteredLock_whenReleasedOnce_thenStillHeldUntilTheLastRelease() {
        HeldLocks h = new HeldLocks(false);
        Object a = new Object();
        h.reenter(h.push(a) == 0 ? 0 : -1);

        h.release(a);
        int afterOne = h.indexOf(a);
        h.release(a);

        assertThat(afterOne).isZero();
        assertThat(h.indexOf(a)).isEqualTo(-1);
        assertThat(h.size()).isZero();
    }

    @Test
    void givenLocksReleasedOutOfOrder_whenOneGoes_thenTheOthersKeepTheirOrderAndSites() {
        HeldLocks h = new HeldLocks(false);
        Object a = new Object();
        Object b = new Object();
        Object c = new Object();
        h.push(a);
        h.setSite(h.push(b), 7);
        h.setSite(h.push(c), 9);

        h.release(a);

        assertThat(h.size()).isEqualTo(2);
        assertThat(h.lock(0)).isSameAs(b);
        assertThat(h.site(0)).isEqualTo(7);
        assertThat(h.lock(1)).isSameAs(c);
        assertThat(h.site(1)).isEqualTo(9);
    }

    @Test
    void givenFullArray_whenPushed_thenRefusedAndAnUnknownReleaseIsIgnored() {
        HeldLocks h = new HeldLocks(false);
        for (int i = 0; i < HeldLocks.CAPACITY; i++) assertThat(h.push(new Object())).isEqualTo(i);

        int refused = h.push(new Object());
        h.release(new Object());

        assertThat(refused).isEqualTo(-1);
        assertThat(h.size()).isEqualTo(HeldLocks.CAPACITY);
    }
}

package dev.diag.push;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WindowQueueTest {
    @Test
    void givenFullQueue_whenOffer_thenTheOldestIsDroppedAndCounted() throws Exception {
        WindowQueue q = new WindowQueue(2, 1_000);
        Window w1 = window(1, 10);
        Window w2 = window(2, 10);
        Window w3 = window(3, 10);
        q.offer(w1);
        q.offer(w2);

        int dropped = q.offer(w3);

        assertThat(dropped).isEqualTo(1);
        assertThat(q.dropped()).isEqualTo(1);
        assertThat(q.peek(0)).isSameAs(w2);
        assertThat(q.size()).isEqualTo(2);
    }

    @Test
    void givenByteCap_whenABigWindowComes_thenOlderOnesMakeRoomButTheNewestStays() throws Exception {
        WindowQueue q = new WindowQueue(64, 100);
        q.offer(window(1, 40));
        q.offer(window(2, 40));
        Window big = window(3, 500);

        int dropped = q.offer(big);

        assertThat(dropped).isEqualTo(2);
        assertThat(q.peek(0)).isSameAs(big);
    }

    @Test
    void givenHeadDroppedWhileSending_whenRemoved_thenTheNewHeadStays() throws Exception {
        WindowQueue q = new WindowQueue(1, 1_000);
        Window sending = window(1, 10);
        q.offer(sending);
        Window newer = window(2, 10);
        q.offer(newer); // drops the window being sent

        q.remove(sending);

        assertThat(q.peek(0)).isSameAs(newer);
    }

    @Test
    void givenEmptyQueue_whenPeekWithoutWaiting_thenNull() throws Exception {
        assertThat(new WindowQueue(2, 100).peek(0)).isNull();
    }

    private static Window window(long from, int bytes) {
        return new Window("cpu", from, from + 1, new byte[bytes], 100);
    }
}

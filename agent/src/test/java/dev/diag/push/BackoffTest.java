package dev.diag.push;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    @Test
    void givenFailures_whenDelaysAsked_thenTheyDoubleUpToTheCapWithinTheUpperHalf() {
        Backoff low = new Backoff(500, 30_000, () -> 0.0);
        Backoff high = new Backoff(500, 30_000, () -> 0.999_999);

        List<Long> lows = new ArrayList<>();
        List<Long> highs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            lows.add(low.nextDelayMillis());
            highs.add(high.nextDelayMillis());
        }

        assertThat(lows).containsExactly(250L, 500L, 1_000L, 2_000L, 4_000L, 8_000L, 15_000L, 15_000L, 15_000L, 15_000L);
        assertThat(highs).containsExactly(499L, 999L, 1_999L, 3_999L, 7_999L, 15_999L, 29_999L, 29_999L, 29_999L,
                29_999L);
    }

    @Test
    void givenReset_whenNextDelay_thenItStartsOver() {
        Backoff b = new Backoff(500, 30_000, () -> 0.0);
        for (int i = 0; i < 5; i++) b.nextDelayMillis();

        b.reset();

        assertThat(b.nextDelayMillis()).isEqualTo(250L);
    }
}

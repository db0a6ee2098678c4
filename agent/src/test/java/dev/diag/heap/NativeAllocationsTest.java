package dev.diag.heap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** What one allocation sample stands for, as Go's runtime scales a heap sample. */
class NativeAllocationsTest {
    private static final long RATE = 512 * 1024;

    @Test
    void givenASmallObject_whenScaled_thenItStandsForAboutRateBytes() {
        long[] v = NativeAllocations.scaled(1040, RATE, 1);

        // P(sampled) = 1 - e^(-1040/524288) ~ 1040/524288: one sample ~ 504.6 such objects, ~ 524,808 bytes.
        assertThat(v[0]).isEqualTo(505);
        assertThat((double) v[1]).isCloseTo(RATE + 520, within(2.0));
    }

    @Test
    void givenAnObjectFarLargerThanTheRate_whenScaled_thenItIsOneObjectOfItsOwnSize() {
        long[] v = NativeAllocations.scaled(64L << 20, RATE, 1);

        assertThat(v[0]).isEqualTo(1);
        assertThat(v[1]).isEqualTo(64L << 20);
    }

    @Test
    void givenASizeOfZero_whenScaled_thenTheDivisionStaysFinite() {
        long[] v = NativeAllocations.scaled(0, RATE, 1);

        assertThat((double) v[0]).isCloseTo(RATE, within(1.0)); // counted as 1 byte: about RATE of them
        assertThat((double) v[1]).isCloseTo(RATE, within(1.0));
    }
}

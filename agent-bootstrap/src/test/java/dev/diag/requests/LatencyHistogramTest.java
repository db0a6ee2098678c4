package dev.diag.requests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Times are given, not read: each window's edge is tested at the nanosecond the histogram sees. */
class LatencyHistogramTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 0", "2, 1", "3, 1", "4, 2", "1023, 9", "1024, 10", "120000, 16",
            "137438953472, 37", "9223372036854775807, 37"})
    void givenMicros_whenBucketed_thenGoBucket(long micros, int want) {
        int got = LatencyHistogram.bucket(micros);

        assertThat(got).as("bucket(%d): got %d; want %d", micros, got, want).isEqualTo(want);
    }

    @Test
    void givenRequestsOverTwoHours_whenWindowsRead_thenEachHoldsWhatFinishedWithinIt() {
        LatencyHistogram h = new LatencyHistogram();
        long t0 = 10_000 * S;

        h.record(120 * MS, t0);                       // two hours before "now": total only
        h.record(3 * MS, t0 + 3600 * S);              // an hour before now: the hour ends one slot short of it
        h.record(3 * MS, t0 + 5400 * S);              // 30 min before now: hour and total
        h.record(1 * MS, t0 + 7200 * S - 30 * S);     // 30 s before now: all three
        h.record(1 * MS, t0 + 7200 * S - 1);          // just now
        long now = t0 + 7200 * S;

        LatencyHistogram.Snapshot minute = h.snapshot(LatencyHistogram.Window.MINUTE, now);
        LatencyHistogram.Snapshot hour = h.snapshot(LatencyHistogram.Window.HOUR, now);
        LatencyHistogram.Snapshot total = h.snapshot(LatencyHistogram.Window.TOTAL, now);

        assertThat(minute.count()).isEqualTo(2);
        assertThat(minute.counts()[LatencyHistogram.bucket(1000)]).isEqualTo(2);
        assertThat(hour.count()).isEqualTo(3);
        assertThat(total.count()).isEqualTo(5);
        assertThat(total.counts()[16]).as("120 ms in [65536, 131072) µs").isEqualTo(1);
        assertThat(total.sumMicros()).isEqualTo(120_000 + 3_000 + 3_000 + 1_000 + 1_000);
        assertThat(h.snapshot(LatencyHistogram.Window.MINUTE, now + 61 * S).count()).as("a minute later").isZero();
    }

    @Test
    void givenKnownValues_whenSummarized_thenGoStatistics() {
        LatencyHistogram h = new LatencyHistogram();
        for (long us : new long[] {100, 100, 300, 300}) h.record(us * 1000, 0);

        LatencyHistogram.Snapshot s = h.snapshot(LatencyHistogram.Window.TOTAL, 0);

        assertThat(s.count()).isEqualTo(4);
        assertThat(s.mean()).isEqualTo(200.0);
        assertThat(s.standardDeviation()).isEqualTo(100.0);
        // Two in [64, 128), two in [256, 512): the half ends on the first bucket, so halfway to the next non-empty one.
        assertThat(s.median()).isEqualTo(128 + (256 - 128) / 2);
    }
}

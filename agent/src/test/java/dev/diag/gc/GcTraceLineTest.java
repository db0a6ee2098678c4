package dev.diag.gc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class GcTraceLineTest {
    private static final long MB = 1L << 20;

    @ParameterizedTest
    @CsvSource({
            "0, 0",
            "999, 0",
            "58000, 0.058",
            "1234567, 1.2",
            "3000000, 3.0",
            "9990000, 9.9",
            "10000000, 10",
            "123456789, 123"})
    void givenNanoseconds_whenWrittenAsGcTime_thenAsGosRuntimePrintsThem(long ns, String want) {
        assertThat(GcTraceLine.millis(ns)).as("got %s; want %s", GcTraceLine.millis(ns), want).isEqualTo(want);
    }

    @Test
    void givenAForcedFullCollection_whenFormatted_thenGosLayoutWithThePauseStopTheWorldAndTheJvmsFactsAfter() {
        GcEvent full = new GcEvent(3, 1234, 12, 0, false, 37, 24 * MB + 5, 2 * MB + MB / 2, 256 * MB, "G1 Old Generation",
                "System.gc()");

        String line = GcTraceLine.format(full, 2);

        assertThat(line).isEqualTo("gc 3 @1.234s 2%: 12+0+0 ms clock, 0+0/0/0+0 ms cpu, 24->2->2 MB, 256 MB goal, "
                + "0 MB stacks, 0 MB globals, 2 P (forced) (G1 Old Generation, System.gc())");
    }

    @Test
    void givenAConcurrentCycle_whenFormatted_thenItsPausesAreStopTheWorldAndTheRestConcurrent() {
        GcEvent cycle = new GcEvent(7, 200, 1, 68, true, 3, 100 * MB, 40 * MB, 512 * MB, "ZGC Cycles",
                "Allocation Rate");

        String line = GcTraceLine.format(cycle, 8);

        assertThat(line).isEqualTo("gc 7 @0.200s 1%: 1.0+68+0 ms clock, 0+0/0/0+0 ms cpu, 100->40->40 MB, 512 MB goal, "
                + "0 MB stacks, 0 MB globals, 8 P (ZGC Cycles, Allocation Rate)");
    }
}

package dev.diag.agent;

import dev.diag.base.OptionKey;
import dev.diag.base.Options;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReconfigurationTest {
    @Test
    void givenRunningOptions_whenReattachSetsSomeKeys_thenTheyReplaceAndTheRestStays() throws Exception {
        Options running = Options.parse("out=/tmp/p,profiles=cpu,heap,cpu.hz=200");

        Options merged = running.with(Options.parse("profiles=threadcreate,block.rate=1"));

        assertThat(merged.toString()).isEqualTo("out=/tmp/p,profiles=threadcreate,cpu.hz=200,block.rate=1");
        assertThat(running.toString()).as("the running options are not touched")
                .isEqualTo("out=/tmp/p,profiles=cpu,heap,cpu.hz=200");
    }

    @Test
    void givenProfilesNamingBlock_whenEffectiveRateShown_thenTheImpliedRateCounts() throws Exception {
        Options before = Options.parse("");
        Options after = before.with(Options.parse("profiles=block"));

        String was = before.shown(OptionKey.BLOCK_RATE);
        String now = after.shown(OptionKey.BLOCK_RATE);

        assertThat(was).isEqualTo("0");
        assertThat(now).as("naming block in profiles turns it on at rate 1").isEqualTo("1");
        assertThat(before.shown(OptionKey.HTTP)).isEqualTo("off");
    }

    @Test
    void givenIntervalZero_whenParsed_thenAcceptedAsOff() throws Exception {
        Options o = Options.parse("interval=0");

        long nanos = o.getDurationNanos(OptionKey.INTERVAL);

        assertThat(nanos).isZero();
    }
}

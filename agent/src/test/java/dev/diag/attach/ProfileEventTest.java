package dev.diag.attach;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProfileEventTest {
    @Test
    void givenAsyncProfilerWords_whenParsed_thenGoProfiles() throws Exception {
        assertThat(ProfileEvent.parse("cpu").profile()).isEqualTo("cpu");
        assertThat(ProfileEvent.parse("alloc").profile()).isEqualTo("allocs");
        assertThat(ProfileEvent.parse("lock").profile()).isEqualTo("mutex");
        assertThat(ProfileEvent.parse("block").profile()).isEqualTo("block");
    }

    @Test
    void givenTypo_whenParsed_thenUsageWithSuggestionAndEveryEvent() {
        assertThatThrownBy(() -> ProfileEvent.parse("blokc"))
                .isInstanceOfSatisfying(AttachException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(AttachException.USAGE);
                    assertThat(e.getMessage()).startsWith("no event \"blokc\": did you mean block? (events: cpu, wall, ")
                            .endsWith("threadcreate)");
                });
    }

    @Test
    void givenDurations_whenParsed_thenGoDurationsOrWholeSecondsElseUsage() throws Exception {
        assertThat(ProfileCommand.duration("10")).isEqualTo(10_000_000_000L);
        assertThat(ProfileCommand.duration("500ms")).isEqualTo(500_000_000L);
        assertThat(ProfileCommand.duration("1m")).isEqualTo(60_000_000_000L);
        for (String bad : new String[] {"0", "-1s", "ten", ""}) {
            assertThatThrownBy(() -> ProfileCommand.duration(bad)).as(bad)
                    .isInstanceOfSatisfying(AttachException.class, e ->
                            assertThat(e.getMessage()).startsWith("bad duration \"" + bad + "\" for -d"));
        }
    }
}

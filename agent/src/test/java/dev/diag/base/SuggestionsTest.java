package dev.diag.base;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** "Did you mean" offers a near word, and nothing when no word is near. */
class SuggestionsTest {
    private static final List<String> PROFILES =
            List.of("cpu", "heap", "allocs", "block", "mutex", "goroutine", "threadcreate", "wall");

    @ParameterizedTest
    @CsvSource(nullValues = "none", value = {
            "heep, heap", "alocs, allocs", "goroutines, goroutine", "gorotuine, goroutine", "mutx, mutex",
            "thread, threadcreate", "cpus, cpu", "xyz, none", "memory, none", "c, cpu", "w, wall", "x, none"})
    void givenATypedWord_whenCompared_thenTheNearestKnownOneOrNone(String typed, String expected) {
        assertThat(Suggestions.closest(typed, PROFILES)).isEqualTo(expected);
    }
}

package dev.diag.agent;

import dev.diag.base.OptionException;
import dev.diag.base.Options;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which option sets put the hooks in before {@code main} (premain pays about 0.1 s for them) and which leave them to
 * diag-init. {@code profiles=block} or {@code mutex} without a rate means rate 1 ({@link Options#blockRate}).
 */
class HooksFromTheStartTest {
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "'';                                              false",
            "out=/tmp/p;                                      false",
            "out=/tmp/p,profiles=cpu,allocs,heap,goroutine;   false",
            "out=/tmp/p,profiles=block;                       true",
            "out=/tmp/p,profiles=mutex;                       true",
            "out=/tmp/p,profiles=block,block.rate=0;          false",
            "out=/tmp/p,profiles=threadcreate;                true",
            "block.rate=1;                                    true",
            "mutex.fraction=100;                              true",
            "trace=/tmp/t.trace;                              true",
            "http=0;                                          true",
            "lockorder=1;                                     true",
            "lockorder=0;                                     false",
    })
    void givenOptions_whenAskedWhetherHooksGoInBeforeMain_thenOnlyForHookedProfilesOnFromTheStart(String args,
                                                                                                 boolean expected)
            throws OptionException {
        assertThat(Agent.needsHooksFromTheStart(Options.parse(args))).as(args).isEqualTo(expected);
    }
}

package dev.diag.hook;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link LabelSet#without} and {@link LabelSet#valueOf}, which the OpenTelemetry link uses to swap span labels. */
class LabelSetTest {
    private static final LabelSet SET = LabelSet.EMPTY.with("tenant", "acme", "span_id", "a1", "trace_id", "t1");

    @Test
    void givenKeysSomePresent_whenWithout_thenOnlyThoseLeaveAndTheRestStaySorted() {
        LabelSet without = SET.without("span_id", "trace_id", "span_name");

        assertThat(without).isEqualTo(LabelSet.EMPTY.with("tenant", "acme"));
        assertThat(SET.without("trace_id").toString()).isEqualTo("{span_id=a1, tenant=acme}");
    }

    @Test
    void givenNoKeyPresent_whenWithout_thenTheSameSet() {
        assertThat(SET.without("span_name", "job")).isSameAs(SET);
        assertThat(LabelSet.EMPTY.without("span_id")).isSameAs(LabelSet.EMPTY);
    }

    @Test
    void givenKey_whenValueOf_thenItsValueOrNull() {
        assertThat(SET.valueOf("span_id")).isEqualTo("a1");
        assertThat(SET.valueOf("tenant")).isEqualTo("acme");
        assertThat(SET.valueOf("span_name")).isNull();
    }
}

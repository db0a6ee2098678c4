package dev.diag.hook;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The labels follow OpenTelemetry's scopes as OpenTelemetry's own storage does: a close gives back the labels from
 * before its attach only when its scope is the last one attached on the thread; no-op scopes and a failing labeller
 * change nothing. Contexts here are span ids, and the labeller puts {@code span_id=<context>} on top.
 */
class SpanLabelHookTest {
    private static final LabelSet APP = LabelSet.EMPTY.with("tenant", "acme");

    /** OpenTelemetry's no-op scope is an enum constant. */
    private enum NoopScope { INSTANCE }

    @BeforeEach
    void labelSpanIds() {
        SpanLabelHook.setLabeller((context, span, labels) -> labels.with("span_id", (String) context));
        LabelHook.set(APP);
    }

    @AfterEach
    void reset() {
        SpanLabelHook.setLabeller(null);
        LabelHook.set(LabelSet.EMPTY);
    }

    @Test
    void givenNestedScopes_whenClosedLastFirst_thenEachCloseGivesBackTheLabelsFromBeforeItsAttach() {
        Object outer = new Object();
        Object inner = new Object();

        SpanLabelHook.attached(outer, "a1");
        LabelSet inOuter = LabelHook.current();
        SpanLabelHook.attached(inner, "b2");
        LabelSet inInner = LabelHook.current();
        SpanLabelHook.closed(inner);
        LabelSet afterInner = LabelHook.current();
        SpanLabelHook.closed(outer);

        assertThat(inOuter).isEqualTo(APP.with("span_id", "a1"));
        assertThat(inInner).isEqualTo(APP.with("span_id", "b2"));
        assertThat(afterInner).isSameAs(inOuter);
        assertThat(LabelHook.current()).isSameAs(APP);
    }

    @Test
    void givenSameSpanMadeCurrentAgainOnTheSameLabels_whenAttached_thenTheSameSetWithoutAskingTheLabellerAgain() {
        int[] asked = new int[1];
        SpanLabelHook.setLabeller((context, span, labels) -> {
            asked[0]++;
            return labels.with("span_id", (String) context);
        });
        Object context = new String("c3");
        Object first = new Object();
        Object second = new Object();

        SpanLabelHook.attached(first, context);
        LabelSet atFirst = LabelHook.current();
        SpanLabelHook.closed(first);
        SpanLabelHook.attached(second, context);
        LabelSet atSecond = LabelHook.current();
        SpanLabelHook.closed(second);

        assertThat(atSecond).isSameAs(atFirst).isEqualTo(APP.with("span_id", "c3"));
        assertThat(asked[0]).isEqualTo(1);
        assertThat(LabelHook.current()).isSameAs(APP);
    }

    @Test
    void givenScopeClosedOutOfOrderOrTwice_whenClosed_thenLabelsStayAsOpenTelemetrysContextDoes() {
        Object outer = new Object();
        Object inner = new Object();
        SpanLabelHook.attached(outer, "a1");
        SpanLabelHook.attached(inner, "b2");

        SpanLabelHook.closed(outer); // OpenTelemetry ignores it: the inner context is current
        LabelSet afterWrongClose = LabelHook.current();
        SpanLabelHook.closed(inner);
        SpanLabelHook.closed(inner); // a second close: ignored too
        LabelSet afterSecondClose = LabelHook.current();
        SpanLabelHook.closed(outer);

        assertThat(afterWrongClose).isEqualTo(APP.with("span_id", "b2"));
        assertThat(afterSecondClose).isEqualTo(APP.with("span_id", "a1"));
        assertThat(LabelHook.current()).isSameAs(APP);
    }

    @Test
    void givenNoopScopeOrNoLabeller_whenAttached_thenLabelsStay() {
        SpanLabelHook.attached(NoopScope.INSTANCE, "a1");
        LabelSet afterNoop = LabelHook.current();
        SpanLabelHook.setLabeller(null);
        SpanLabelHook.attached(new Object(), "b2");

        assertThat(afterNoop).isSameAs(APP);
        assertThat(LabelHook.current()).isSameAs(APP);
    }

    @Test
    void givenLabellerThatThrows_whenAttachedAndClosed_thenNothingReachesTheCallerAndLabelsStay() {
        SpanLabelHook.setLabeller((context, span, labels) -> {
            throw new IllegalStateException("broken OpenTelemetry");
        });
        Object scope = new Object();

        SpanLabelHook.attached(scope, "a1");
        SpanLabelHook.closed(scope);

        assertThat(LabelHook.current()).isSameAs(APP);
    }

    @Test
    void givenMaxDepthScopesOpen_whenOneMoreAttaches_thenItsLabelsAreNotSetAndItIsCounted() {
        Object[] scopes = new Object[SpanLabelHook.MAX_DEPTH];
        for (int i = 0; i < scopes.length; i++) SpanLabelHook.attached(scopes[i] = new Object(), "s" + i);
        long tooDeep = SpanLabelHook.tooDeep();

        Object extra = new Object();
        SpanLabelHook.attached(extra, "extra");
        LabelSet atExtra = LabelHook.current();
        SpanLabelHook.closed(extra);
        for (int i = scopes.length - 1; i >= 0; i--) SpanLabelHook.closed(scopes[i]);

        assertThat(atExtra).isEqualTo(APP.with("span_id", "s" + (scopes.length - 1)));
        assertThat(SpanLabelHook.tooDeep()).isEqualTo(tooDeep + 1);
        assertThat(LabelHook.current()).isSameAs(APP);
    }
}

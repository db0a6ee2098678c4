package dev.diag.otel;

import dev.diag.hook.LabelSet;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The labels a context's span puts on a thread, read through the real OpenTelemetry API and SDK with diag's method
 * handles: ids of the current span, the local root's name while its trace is current, nothing for a context
 * without a span; the thread's own labels stay.
 */
class OtelSpanLabelsTest {
    private static final LabelSet APP = LabelSet.EMPTY.with("tenant", "acme");

    private final SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(new Recording()).build();
    private final Tracer tracer = provider.get("dev.diag.test");
    private final OtelSpanLabels labeller = new OtelSpanLabels();

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void givenRootSpan_whenLabelled_thenItsIdsAndNameOnTopOfTheThreadsLabels() throws Throwable {
        Span root = tracer.spanBuilder("checkout").setNoParent().startSpan();

        LabelSet labels = labeller.labelsFor(Context.root().with(root), APP);

        assertThat(labels).isEqualTo(APP.with("trace_id", root.getSpanContext().getTraceId(), "span_id",
                root.getSpanContext().getSpanId(), "span_name", "checkout"));
    }

    @Test
    void givenChildOfTheSpanWhoseLabelsAreSet_whenLabelled_thenOnlySpanIdChanges() throws Throwable {
        Span root = tracer.spanBuilder("checkout").setNoParent().startSpan();
        Context inRoot = Context.root().with(root);
        LabelSet rootLabels = labeller.labelsFor(inRoot, APP);
        Span child = tracer.spanBuilder("charge").setParent(inRoot).startSpan();

        LabelSet labels = labeller.labelsFor(inRoot.with(child), rootLabels);

        assertThat(labels).isEqualTo(rootLabels.with("span_id", child.getSpanContext().getSpanId()));
    }

    @Test
    void givenSpanWithRemoteParent_whenLabelled_thenItIsTheLocalRootAndNamesTheLabels() throws Throwable {
        SpanContext remote = SpanContext.createFromRemoteParent("4bf92f3577b34da6a3ce929d0e0e4736",
                "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault());
        Context withRemote = Context.root().with(Span.wrap(remote));
        Span server = tracer.spanBuilder("GET /users").setParent(withRemote).startSpan();

        LabelSet labels = labeller.labelsFor(withRemote.with(server), APP);

        assertThat(labels).isEqualTo(APP.with("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", "span_id",
                server.getSpanContext().getSpanId(), "span_name", "GET /users"));
    }

    @Test
    void givenChildOfALocalParentNotSeenHere_whenLabelled_thenIdsWithoutTheOtherTracesName() throws Throwable {
        Span other = tracer.spanBuilder("refund").setNoParent().startSpan();
        LabelSet otherLabels = labeller.labelsFor(Context.root().with(other), APP);
        Span parent = tracer.spanBuilder("checkout").setNoParent().startSpan();
        Span child = tracer.spanBuilder("charge").setParent(Context.root().with(parent)).startSpan();

        LabelSet labels = labeller.labelsFor(Context.root().with(child), otherLabels);

        assertThat(labels).isEqualTo(APP.with("trace_id", child.getSpanContext().getTraceId(), "span_id",
                child.getSpanContext().getSpanId()));
    }

    @Test
    void givenSpanOutsideTheSdk_whenLabelled_thenIdsOnly() throws Throwable {
        SpanContext local = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault());

        LabelSet labels = labeller.labelsFor(Context.root().with(Span.wrap(local)), APP);

        assertThat(labels).isEqualTo(APP.with("trace_id", "0af7651916cd43dd8448eb211c80319c", "span_id",
                "b7ad6b7169203331"));
    }

    @Test
    void givenContextWithoutSpan_whenLabelled_thenTheSpanLabelsLeaveAndTheRestStays() throws Throwable {
        LabelSet spanned = APP.with("trace_id", "0af7651916cd43dd8448eb211c80319c", "span_id", "b7ad6b7169203331",
                "span_name", "checkout");

        LabelSet labels = labeller.labelsFor(Context.root(), spanned);

        assertThat(labels).isEqualTo(APP);
        assertThat(labeller.labelsFor(Context.root(), APP)).isSameAs(APP);
    }

    @Test
    void givenObjectThatIsNoContext_whenLabelled_thenLabelsUnchanged() throws Throwable {
        assertThat(labeller.labelsFor("not a context", APP)).isSameAs(APP);
        assertThat(labeller.spanOf("not a context")).isNull();
    }

    @Test
    void givenOneSpanInTwoContexts_whenAskedForTheirSpan_thenTheSameObject() throws Throwable {
        Span root = tracer.spanBuilder("checkout").setNoParent().startSpan();
        Context first = Context.root().with(root);
        Context second = Context.root().with(root);

        Object spanOfFirst = labeller.spanOf(first);
        Object spanOfSecond = labeller.spanOf(second);

        assertThat(second).isNotSameAs(first);
        assertThat(spanOfSecond).isSameAs(spanOfFirst).isSameAs(root);
    }

    /** The SDK records spans, and so gives them ids, only for a processor. */
    private static final class Recording implements SpanProcessor {
        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {}

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {}

        @Override
        public boolean isEndRequired() {
            return false;
        }
    }
}

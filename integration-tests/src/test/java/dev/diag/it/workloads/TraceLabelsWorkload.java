package dev.diag.it.workloads;

import dev.diag.api.Labels;
import dev.diag.api.Region;
import dev.diag.api.Trace;
import example.checkout.Billing;
import example.checkout.Payments;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Labels and OpenTelemetry spans in an execution trace: two threads, {@code tenant-a} and {@code tenant-b}, each
 * labelled {@code tenant=a} or {@code tenant=b}, work in a region "serve"; then main makes the root span "checkout"
 * current and calls the {@code @Traced} method {@code Payments.charge} (the span is current as its region begins), and
 * opens region "refund-handler" in which it makes the root span "refund" current (the span comes inside the region).
 * With {@code args[0] = global} spans come from {@code GlobalOpenTelemetry} (the OpenTelemetry Java agent's, when
 * attached) and main also calls the {@code @WithSpan} method {@code Payments.audit}, whose span the Java agent makes.
 * Prints {@code thread NAME ID} (Go's goroutine id) and {@code span NAME trace=T span=S}.
 */
public final class TraceLabelsWorkload {
    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        System.out.println("tracing=" + Trace.isEnabled());
        boolean global = args.length > 0 && args[0].equals("global");
        // Without a span processor the SDK hands out no-op spans, with no ids.
        SdkTracerProvider provider = global ? null
                : SdkTracerProvider.builder().addSpanProcessor(new KeepAll()).build();
        Tracer tracer = global ? GlobalOpenTelemetry.getTracer("dev.diag.it") : provider.get("dev.diag.it");
        System.out.println("thread main " + Thread.currentThread().getId());

        Thread a = tenant("a");
        Thread b = tenant("b");
        a.start();
        b.start();
        a.join();
        b.join();

        Span checkout = tracer.spanBuilder("checkout").setNoParent().startSpan();
        try (Scope s = checkout.makeCurrent()) {
            Payments.charge();
        } finally {
            checkout.end();
        }
        report("checkout", checkout.getSpanContext().getTraceId(), checkout.getSpanContext().getSpanId());

        Span refund = tracer.spanBuilder("refund").setNoParent().startSpan();
        try (Region r = Trace.region("refund-handler")) {
            try (Scope s = refund.makeCurrent()) {
                Billing.spin(20);
            } finally {
                refund.end();
            }
        }
        report("refund", refund.getSpanContext().getTraceId(), refund.getSpanContext().getSpanId());

        if (global) {
            String[] audit = Payments.audit();
            report("audit", audit[0], audit[1]);
        }
        if (provider != null) provider.close();
        System.out.println("done");
    }

    private static Thread tenant(String tenant) {
        Thread t = new Thread(() -> {
            try (Labels.Scope s = Labels.with("tenant", tenant); Region r = Trace.region("serve")) {
                Billing.spin(30);
            }
        }, "tenant-" + tenant);
        System.out.println("thread tenant-" + tenant + " " + t.getId());
        return t;
    }

    private static void report(String name, String traceId, String spanId) {
        System.out.println("span " + name + " trace=" + traceId + " span=" + spanId);
    }

    /** Keeps every span: the SDK records spans (and gives them ids) only for a processor. */
    private static final class KeepAll implements SpanProcessor {
        @Override
        public void onStart(Context parent, ReadWriteSpan span) {}

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {}

        @Override
        public boolean isEndRequired() {
            return true;
        }
    }
}

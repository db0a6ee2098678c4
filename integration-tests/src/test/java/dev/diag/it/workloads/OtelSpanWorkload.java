package dev.diag.it.workloads;

import dev.diag.api.Labels;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.SynchronousQueue;

/**
 * An application traced with OpenTelemetry's API and SDK, inside its own label {@code tenant=acme}: burns CPU and
 * allocates for {@code args[0]} ms of CPU in a root span {@code checkout} ({@code checkoutWork}), half that in its
 * child span {@code charge} ({@code chargeWork}), half that on another thread in a span {@code handover} carried there
 * by OpenTelemetry's {@code Context.wrap} ({@code wrappedWork}), as long in a second trace's root span {@code refund}
 * ({@code refundWork}), and half that outside any span ({@code unspannedWork}). Prints each span's ids
 * ({@code span NAME trace=T span=S}) and the labels diag reports inside it ({@code labels NAME {...}}), then exits.
 * Spans come from an SDK of its own, or with {@code args[1] = global} from {@code GlobalOpenTelemetry}: there the
 * OpenTelemetry Java agent's, when it is attached.
 */
public final class OtelSpanWorkload {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static volatile long sink;
    private static volatile byte[] kept;

    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        long millis = Long.parseLong(args[0]);
        boolean global = args.length > 1 && args[1].equals("global");
        // Without a span processor the SDK hands out no-op spans, with no ids.
        SdkTracerProvider provider = global ? null
                : SdkTracerProvider.builder().addSpanProcessor(new EndedSpans()).build();
        Tracer tracer = global ? GlobalOpenTelemetry.getTracer("dev.diag.it") : provider.get("dev.diag.it");
        try (Labels.Scope tenant = Labels.with("tenant", "acme")) {
            Span checkout = tracer.spanBuilder("checkout").setNoParent().startSpan();
            try (Scope s = checkout.makeCurrent()) {
                report("checkout", checkout);
                checkoutWork(millis);
                Span charge = tracer.spanBuilder("charge").startSpan();
                try (Scope c = charge.makeCurrent()) {
                    report("charge", charge);
                    chargeWork(millis / 2);
                } finally {
                    charge.end();
                }
                System.out.println("labels checkout-after-charge " + Labels.current());
            } finally {
                checkout.end();
            }
            handedOver(tracer, millis / 2);
            Span refund = tracer.spanBuilder("refund").setNoParent().startSpan();
            try (Scope s = refund.makeCurrent()) {
                report("refund", refund);
                refundWork(millis);
            } finally {
                refund.end();
            }
            System.out.println("labels unspanned " + Labels.current());
            unspannedWork(millis / 2);
        }
        System.out.println("labels after " + Labels.current());
        if (provider != null) provider.close();
        System.out.println("checksum " + sink + " spans ended " + EndedSpans.count);
    }

    /** Counts the spans that ended: the SDK records spans only for a processor. */
    private static final class EndedSpans implements SpanProcessor {
        static volatile int count;

        @Override
        public void onStart(Context parent, ReadWriteSpan span) {}

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
            count++;
        }

        @Override
        public boolean isEndRequired() {
            return true;
        }
    }

    /**
     * A span's context carried to another thread by OpenTelemetry alone ({@code Context.wrap}): the worker starts
     * before the span (inheriting only {@code tenant=acme} from its starter, as diag does) and takes the task from a
     * queue, not through an executor; only the worker's attach of the wrapped context puts the span on
     * {@code wrappedWork}.
     */
    private static void handedOver(Tracer tracer, long millis) throws InterruptedException {
        SynchronousQueue<Runnable> queue = new SynchronousQueue<>();
        Thread worker = new Thread(() -> {
            try {
                queue.take().run();
                System.out.println("labels handover-worker-after " + Labels.current());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "otel-worker");
        worker.start();
        Span wrapped = tracer.spanBuilder("handover").setNoParent().startSpan();
        try (Scope s = wrapped.makeCurrent()) {
            report("handover", wrapped);
            queue.put(Context.current().wrap(() -> {
                System.out.println("labels handover-worker " + Labels.current());
                wrappedWork(millis);
            }));
        } finally {
            wrapped.end();
        }
        worker.join();
    }

    private static void report(String name, Span span) {
        System.out.println("span " + name + " trace=" + span.getSpanContext().getTraceId() + " span="
                + span.getSpanContext().getSpanId());
        System.out.println("labels " + name + " " + Labels.current());
    }

    static void checkoutWork(long millis) {
        work(millis);
    }

    static void chargeWork(long millis) {
        work(millis);
    }

    static void refundWork(long millis) {
        work(millis);
    }

    static void wrappedWork(long millis) {
        work(millis);
    }

    static void unspannedWork(long millis) {
        work(millis);
    }

    /** Burns {@code millis} ms of this thread's CPU, allocating 64 KiB per slice of it. */
    private static void work(long millis) {
        long end = THREADS.getCurrentThreadCpuTime() + millis * 1_000_000L;
        while (THREADS.getCurrentThreadCpuTime() < end) {
            long h = 1125899906842597L;
            for (int i = 0; i < 200_000; i++) h = 31 * h + (i ^ (h >>> 7));
            sink += h;
            kept = new byte[64 * 1024];
        }
    }
}

package dev.diag.api;

import dev.diag.requests.RequestFamilies;

/**
 * Requests as Go's {@code golang.org/x/net/trace} shows them on {@code /debug/requests}: per family, how many are
 * active, how many finished in each latency bucket (≥0s, ≥0.05s, ≥0.1s, ≥0.2s, ≥0.5s, ≥1s, ≥10s, ≥100s) and with an
 * error, and the last ten of each bucket with their log lines.
 *
 * <pre>{@code
 * try (Request r = Requests.start("orders.Checkout", "order " + id)) {
 *     r.log("reserved stock");
 *     if (!paid) r.setError();
 * }
 * }</pre>
 *
 * Recorded while diag serves its HTTP endpoint ({@code -javaagent:diag.jar=http=:6060}); otherwise, and without
 * diag, every call returns a shared no-op handle after a volatile read or two. Never throws. Methods annotated
 * {@link Traced} (or OpenTelemetry's {@code @WithSpan}) and {@link Trace#newTask} tasks are requests too, of the
 * family named as their region or task.
 */
public final class Requests {
    // Loaded with this class, by its loader (see HookLink and Trace).
    private static final Request NONE = Request.NONE;

    static {
        HookLink.load();
    }

    private Requests() {}

    /** Starts a request of {@code family} titled {@code title}; finish it with {@link Request#finish()} or close(). */
    public static Request start(String family, String title) {
        try {
            if (!HookLink.linked) return NONE;
            Object r = RequestFamilies.start(family, title);
            return r == null ? NONE : new Request(r);
        } catch (Throwable e) {
            return NONE;
        }
    }
}

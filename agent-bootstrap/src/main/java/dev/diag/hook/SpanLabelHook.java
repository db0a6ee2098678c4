package dev.diag.hook;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a thread's profile labels in step with the OpenTelemetry context current on it: woven into OpenTelemetry's
 * {@code ThreadLocalContextStorage}, {@link #attached} runs after a context became current and {@link #closed} after
 * its scope gave the previous one back. An attach puts the span's labels ({@link Labeller}) on top of the thread's
 * labels; the close gives back exactly the labels the thread had before that attach.
 *
 * <p>Which close belongs to which attach: OpenTelemetry itself restores only the scope of the context that is current
 * (it ignores a close out of order, a second close, or a close on another thread), so its scopes close last in, first
 * out. Each thread keeps the scopes it attached in that order with the labels from before each, and acts on a close
 * only when the scope is the last one it attached: the same rule, so the labels follow OpenTelemetry's context even
 * when the application closes scopes wrongly. A scope never closed (a leak in the application) stays on the stack, as
 * its context stays current in OpenTelemetry; past {@value #MAX_DEPTH} open scopes on a thread an attach leaves the
 * labels alone and is counted in {@link #tooDeep()}.
 *
 * <p>Hot path: a thread-local read and the labels' own work ({@link LabelHook#set}); no lock, no allocation but the new
 * label set (none when the thread's last attach had the same span on the same labels), and the stack once per
 * thread. Never throws into the application.
 */
public final class SpanLabelHook {
    /** Computes a thread's labels with a context's span on top. Must not block; may throw (the hook catches it). */
    public interface Labeller {
        /**
         * Returns what {@link #labelsFor} depends on besides the labels, compared by identity: the context's span
         * ({@code makeCurrent()} wraps the same span in a new context each time). By default the context itself.
         */
        default Object spanOf(Object context) throws Throwable {
            return context;
        }

        /**
         * Returns {@code labels} with the labels of {@code context}'s span, or without span labels if it has none;
         * {@code span} is what {@link #spanOf} returned for that context, so that it is read once.
         */
        LabelSet labelsFor(Object context, Object span, LabelSet labels) throws Throwable;
    }

    /** Most scopes open at once on one thread that change its labels. */
    public static final int MAX_DEPTH = 64;

    private static final ThreadLocal<ScopeStack> STACKS = new ThreadLocal<>();
    private static final AtomicLong TOO_DEEP = new AtomicLong();
    private static volatile Labeller labeller;

    private SpanLabelHook() {}

    /** Installs the labeller; until then (or with null) attaches change no labels. */
    public static void setLabeller(Labeller l) {
        labeller = l;
    }

    /**
     * After {@code ThreadLocalContextStorage.attach(context)} returned {@code scope}: puts the context's span labels on
     * the calling thread. OpenTelemetry's no-op scope (the context was null or already current) is an enum constant
     * (API 1.68.0, and the Java agent 2.31.1's shaded copy) and its close is not hooked: nothing changes for it.
     */
    public static void attached(Object scope, Object context) {
        Labeller l = labeller;
        if (l == null || scope == null || scope instanceof Enum || context == null) return;
        try {
            ScopeStack stack = STACKS.get();
            if (stack == null) STACKS.set(stack = new ScopeStack());
            LabelSet before = LabelHook.current();
            LabelSet after = stack.labelsFor(l, context, before);
            if (!stack.push(scope, before)) {
                TOO_DEEP.incrementAndGet();
                return;
            }
            if (after != before) LabelHook.set(after);
        } catch (Throwable e) {
            // woven into OpenTelemetry: nothing reaches the application
        }
    }

    /** After {@code ScopeImpl.close()}: gives the thread back the labels it had before that scope's attach. */
    public static void closed(Object scope) {
        try {
            ScopeStack stack = STACKS.get();
            if (stack == null) return;
            LabelSet previous = stack.popIfLast(scope);
            if (previous != null && LabelHook.current() != previous) LabelHook.set(previous);
        } catch (Throwable e) {
            // woven into OpenTelemetry: nothing reaches the application
        }
    }

    /** Returns how many attaches left the labels alone because {@value #MAX_DEPTH} scopes were open on the thread. */
    public static long tooDeep() {
        return TOO_DEEP.get();
    }

    /** One thread's open scopes, last attached on top, each with the labels from before it. */
    private static final class ScopeStack {
        private Object[] scopes = new Object[8];
        private LabelSet[] before = new LabelSet[8];
        private int depth;
        /**
         * The last attach's span, the labels it was put on and the result: frameworks make one request's span current
         * again and again (each callback, each wrapped task), and the same span on the same labels gives the same
         * labels, with no new set. Holds one span per thread until the thread's next attach.
         */
        private Labeller lastLabeller;
        private Object lastSpan;
        private LabelSet lastBefore;
        private LabelSet lastAfter;

        LabelSet labelsFor(Labeller l, Object context, LabelSet labels) throws Throwable {
            Object span = l.spanOf(context);
            if (span != null && span == lastSpan && labels == lastBefore && l == lastLabeller) return lastAfter;
            LabelSet after = l.labelsFor(context, span, labels);
            lastLabeller = l;
            lastSpan = span;
            lastBefore = labels;
            lastAfter = after;
            return after;
        }

        boolean push(Object scope, LabelSet labels) {
            if (depth == scopes.length) {
                if (depth == MAX_DEPTH) return false;
                scopes = java.util.Arrays.copyOf(scopes, depth * 2);
                before = java.util.Arrays.copyOf(before, depth * 2);
            }
            scopes[depth] = scope;
            before[depth++] = labels;
            return true;
        }

        /** Returns the labels from before {@code scope}'s attach, or null when it is not the last scope attached. */
        LabelSet popIfLast(Object scope) {
            if (depth == 0 || scopes[depth - 1] != scope) return null;
            LabelSet labels = before[--depth];
            scopes[depth] = null;
            before[depth] = null;
            return labels;
        }
    }
}

package dev.diag.hook;

import dev.diag.requests.RequestFamilies;
import dev.diag.requests.RequestRecord;

/**
 * Requests on {@code /debug/requests} from code diag wove or owns: each call of an {@code @Traced} or {@code @WithSpan}
 * method is a request of the family named as its region, and each trace task ({@code Trace.newTask}) one of the
 * family named as the task; the title is the thread's name. The request travels as an {@code Object} (the woven local
 * and the task's field), so neither names a diag type. While the page is not served, entry is one volatile read and
 * returns null. None of these throws.
 */
public final class RequestHook {
    private RequestHook() {}

    /** Starts a request of family {@code name}; returns it, or null. */
    public static Object start(String name) {
        try {
            if (!RequestFamilies.isEnabled()) return null;
            return RequestFamilies.start(name, Thread.currentThread().getName());
        } catch (Throwable e) {
            return null; // woven into application code: nothing reaches the application
        }
    }

    /** Finishes what {@link #start} returned (null does nothing). */
    public static void finish(Object request) {
        try {
            if (request != null) ((RequestRecord) request).finish();
        } catch (Throwable e) {
            // woven into application code: nothing reaches the application
        }
    }

    /** Woven into the catch-all handler of an {@code @Traced} method: the request ends as an error naming what was thrown. */
    public static void threw(Throwable thrown, Object request) {
        try {
            if (request == null) return;
            RequestRecord r = (RequestRecord) request;
            r.setError();
            r.log("threw " + thrown, true);
            r.finish();
        } catch (Throwable e) {
            // woven into application code: nothing reaches the application
        }
    }
}

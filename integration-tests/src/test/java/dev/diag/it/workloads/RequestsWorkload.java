package dev.diag.it.workloads;

import dev.diag.api.EventLog;
import dev.diag.api.Events;
import dev.diag.api.Request;
import dev.diag.api.Requests;
import dev.diag.api.Task;
import dev.diag.api.Trace;
import example.checkout.Stock;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Ground truth for {@code /debug/requests} and {@code /debug/events}. Once the file {@code go} appears in
 * {@code args[0]} (the test writes it when diag serves, which is when diag records requests), it makes:
 * <ul>
 *   <li>family {@code shop.Checkout}: {@value #FAST} requests that do not sleep, {@value #SLOW} that sleep
 *   {@value #SLOW_MS} ms (≥0.1s on any machine) logging {@code slept 120 ms}, and one marked as an error logging
 *   {@code card declined}: {@value #CHECKOUTS} in all;</li>
 *   <li>{@code shop.Stream}: one request left active, titled {@code long poll};</li>
 *   <li>the {@code @Traced} method {@code Stock.lookup}, called twice, throwing the second time, and the
 *   {@code @WithSpan("reserveStock")} method once;</li>
 *   <li>one trace task {@code shop.nightlyJob};</li>
 *   <li>event family {@code db.Pool}: the object {@code primary db} logging {@code opened 4 connections} and the
 *   error {@code connection 2 reset}, left open, and one object {@code closed db} finished (off the page);</li>
 *   <li>one request of {@value #MANY_LINES} lines in {@code shop.Chatty}: past a request's bound.</li>
 * </ul>
 * It prints {@code done}; then, once the file {@code bulk} appears, it makes {@value #MORE_FAMILIES} further families
 * {@code bulk.N} of one request each (past the bound on families), prints {@code bulk done} and idles until killed.
 */
public final class RequestsWorkload {
    public static final int FAST = 3;
    public static final int SLOW = 2;
    public static final int SLOW_MS = 120;
    public static final int CHECKOUTS = FAST + SLOW + 1;
    public static final int MORE_FAMILIES = 300;
    public static final int MANY_LINES = 200;
    /** The families this workload makes besides {@code bulk.N}. */
    public static final int OWN_FAMILIES = 6;

    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        Path go = Path.of(args[0]).resolve("go");
        say("ready");
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!Files.exists(go) && System.nanoTime() < deadline) Thread.sleep(5);

        for (int i = 0; i < FAST; i++) {
            try (Request r = Requests.start("shop.Checkout", "fast order " + i)) {
                r.log("validated");
            }
        }
        for (int i = 0; i < SLOW; i++) {
            try (Request r = Requests.start("shop.Checkout", "slow order " + i)) {
                r.log("reserving stock");
                Thread.sleep(SLOW_MS);
                r.printf("slept %d ms", SLOW_MS);
            }
        }
        try (Request r = Requests.start("shop.Checkout", "declined order")) {
            r.log("card declined");
            r.setError();
        }
        Request stream = Requests.start("shop.Stream", "long poll");
        stream.log("waiting for updates");

        Stock.lookup(false);
        try {
            Stock.lookup(true);
        } catch (IllegalStateException expected) {
            // the request ends as an error
        }
        Stock.reserve();
        try (Task t = Trace.newTask("shop.nightlyJob")) {
            // a task is a request of its name
        }

        EventLog pool = Events.of("db.Pool", "primary db");
        pool.printf("opened %d connections", 4);
        pool.errorf("connection %d reset", 2);
        EventLog closed = Events.of("db.Pool", "closed db");
        closed.log("opened");
        closed.finish();

        try (Request r = Requests.start("shop.Chatty", "many lines")) {
            for (int i = 0; i < MANY_LINES; i++) r.log("line " + i);
        }
        say("done");

        Path bulk = Path.of(args[0]).resolve("bulk");
        long bulkDeadline = System.nanoTime() + 600_000_000_000L; // the test renders pages before it writes bulk
        while (!Files.exists(bulk) && System.nanoTime() < bulkDeadline) Thread.sleep(5);
        for (int i = 0; i < MORE_FAMILIES; i++) Requests.start("bulk." + i, "one").finish();
        say("bulk done");
        Thread.sleep(Long.MAX_VALUE);
        stream.finish();
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}

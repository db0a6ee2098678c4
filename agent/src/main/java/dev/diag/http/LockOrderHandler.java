package dev.diag.http;

import dev.diag.hook.LockOrderHook;
import dev.diag.threads.LockOrderReport;

import java.io.IOException;

/**
 * Serves {@code /lockorder} (diag's, not Go's, so not on the index): the pairs of locks ever taken in opposite orders,
 * with both orders' stacks ({@link LockOrderReport}), as plain text like {@code /deadlock}. Without {@code lockorder=1}
 * nothing follows lock order: 404, saying how to turn it on.
 */
final class LockOrderHandler implements Endpoint {
    static final String NAME = "lockorder";

    @Override
    public void serve(PprofExchange ex) throws IOException {
        if (!LockOrderHook.enabled()) {
            ex.serveError(404, "lockorder is off: start diag with lockorder=1");
            return;
        }
        ex.send(200, GoPprof.TEXT_PLAIN, null, LockOrderReport.write());
    }
}

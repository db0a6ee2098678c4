package dev.diag.http;

import dev.diag.threads.Deadlocks;

import java.io.IOException;

/**
 * Serves {@code /deadlock} (diag's, not Go's): the threads deadlocked now, cycle by cycle, each with what it waits for,
 * who holds that, and its stack; a one-line "no deadlock" when none. Plain text, as {@code goroutine?debug=2}.
 */
final class DeadlockHandler implements Endpoint {
    static final String NAME = "deadlock";

    @Override
    public void serve(PprofExchange ex) throws IOException {
        ex.send(200, GoPprof.TEXT_PLAIN, null, Deadlocks.report(Deadlocks.cycles()));
    }
}

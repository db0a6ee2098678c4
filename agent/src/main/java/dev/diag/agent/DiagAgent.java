package dev.diag.agent;

import dev.diag.attach.AttachResult;
import dev.diag.attach.WindowRequest;
import dev.diag.base.DiagThreads;
import dev.diag.base.Log;
import dev.diag.base.OptionException;
import dev.diag.base.Options;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The agent's entry points: {@code premain} for {@code -javaagent:diag.jar=OPTIONS} and {@code agentmain} for attach.
 *
 * <p>Does as little as possible on the caller's thread: parse options, put the bootstrap classes in place, and hand
 * over to {@link Agent}, which installs the hooks (milliseconds) and starts the slow parts (JFR, HTTP) on a
 * {@code diag-init} thread so that {@code main} is not delayed. Nothing escapes: any failure is one {@code diag:} line and the application runs on.
 *
 * <p>{@code agentmain} shares all of that and then answers the attaching CLI: its lines go into an
 * {@link AttachResult} the CLI reads over the attach connection, not into the application's stderr.
 */
public final class DiagAgent {
    /** How long agentmain waits for the attach work before it answers (the CLI waits as long). */
    private static final long ATTACH_WAIT_MS = 60_000;

    private DiagAgent() {}

    public static void premain(String args, Instrumentation inst) {
        try {
            Options options;
            try {
                options = Options.parse(AttachResult.options(args));
            } catch (OptionException e) {
                Log.error(e.getMessage() + "; diag is off");
                return;
            }
            Log.setLevel(options.logLevel());
            if (options.secretInArgs()) Log.info(Options.SECRET_IN_ARGS_WARNING);
            prepare(inst);
            Agent.startOrReconfigure(options, inst, false);
            // A command started by diag.jar profile: its window, answered on the stderr the CLI shares.
            WindowRequest window = WindowRequest.fromRequestId(AttachResult.requestId(args));
            if (window != null) RequestedWindow.start(Agent.current(), window, true);
        } catch (Throwable e) {
            Log.error("cannot start: " + e + "; diag is off");
        }
    }

    /**
     * Starts diag in a running JVM, or reconfigures the diag already running there, and publishes the answer for the
     * CLI. Runs on the JVM's Attach Listener thread; the work itself runs on a {@code diag-attach} daemon thread.
     */
    public static void agentmain(String args, Instrumentation inst) {
        String requestId = AttachResult.requestId(args);
        List<String> lines = new ArrayList<>();
        boolean rejected = false;
        Log.startCapture();
        try {
            Options options = Options.parse(AttachResult.options(args));
            // Before anything touches Agent: verifying Agent loads hook types, which resolve only once the
            // bootstrap classes are in place, and a class that failed verification stays failed for this JVM.
            prepare(inst);
            boolean wasRunning = Agent.current() != null;
            if (!wasRunning) Log.setLevel(options.logLevel());
            Reconfiguration.Result result = onDiagThread(() -> Agent.startOrReconfigure(options, inst, true));
            if (result == null) {
                lines.add("still working after " + ATTACH_WAIT_MS / 1000 + " s; later messages go to the application's stderr");
            } else {
                rejected = result.rejected();
                WindowRequest window = WindowRequest.fromRequestId(requestId);
                if (window != null && wasRunning && options.toString().isEmpty()) {
                    // A window into a running diag changes nothing: say what it runs with, not "nothing changed".
                    String running = Agent.current().options().toString();
                    lines.add("diag already runs here with " + (running.isEmpty() ? "defaults" : running));
                } else {
                    lines.addAll(result.lines());
                }
                if (window != null && !rejected) lines.add(RequestedWindow.start(Agent.current(), window, false));
            }
        } catch (OptionException e) {
            rejected = true;
            lines.add(e.getMessage() + "; configuration unchanged");
        } catch (Throwable e) {
            Log.error("cannot start: " + e + "; diag is off");
        } finally {
            Log.Captured captured = Log.endCapture();
            lines.addAll(captured.lines());
            AttachResult.Outcome outcome = rejected ? AttachResult.Outcome.REJECTED
                    : captured.hasError() ? AttachResult.Outcome.FAILED : AttachResult.Outcome.OK;
            try {
                new AttachResult(requestId, outcome, lines).publish();
            } catch (Throwable e) {
                Log.error("cannot answer the attach request: " + e);
            }
        }
    }

    private static void prepare(Instrumentation inst) throws Exception {
        BootstrapJar.install(inst);
        ApplicationApiCopies.link(inst);
    }

    /** Runs the attach work on a diag daemon thread (so the threads it starts are diag's); null on timeout. */
    private static Reconfiguration.Result onDiagThread(java.util.function.Supplier<Reconfiguration.Result> work)
            throws InterruptedException {
        AtomicReference<Reconfiguration.Result> result = new AtomicReference<>();
        Thread t = DiagThreads.start("attach", () -> result.set(work.get()));
        t.join(ATTACH_WAIT_MS);
        return result.get();
    }

    /** Returns this diag's version (the jar's Implementation-Version), or "dev" when run from classes. */
    static String version() {
        String v = DiagAgent.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Returns the file diag's classes were loaded from, or "" when unknown. */
    static String jarPath() {
        try {
            return java.nio.file.Path.of(DiagAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (Exception | Error e) {
            return "";
        }
    }
}

package dev.diag.agent;

import dev.diag.attach.AttachResult;
import dev.diag.attach.WindowRequest;
import dev.diag.base.AtomicFile;
import dev.diag.base.DiagThreads;
import dev.diag.base.FileErrors;
import dev.diag.base.Log;
import dev.diag.base.OptionKey;
import dev.diag.base.Options;
import dev.diag.continuous.ProfileWindow;
import dev.diag.cpu.CpuFeature;
import dev.diag.pprof.GoProfiles;
import dev.diag.pprof.ProfileData;
import dev.diag.pprof.ProfileEncoder;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One window asked for by {@code java -jar diag.jar profile}, recorded in the target on a {@code diag-window} thread:
 * starts what the profile needs (the cpu or allocation sampler; {@code block.rate} or {@code mutex.fraction} at 1
 * when it is 0), records it ({@link ProfileWindow}), puts the rates back, writes the profile to the request's file
 * and answers: in a system property the attaching CLI polls, and, for a command started with the agent, on stderr.
 *
 * <p>A JVM that exits during the window cuts it short and still writes it (asprof's "until it exits"): the agent
 * cuts every window under way before its stop actions run, so the samplers still hand over their last samples.
 */
final class RequestedWindow {
    /** How many answers stay published: the CLI reads its own within a second; older ones are removed. */
    private static final int KEPT_ANSWERS = 8;
    private static final Deque<String> PUBLISHED = new ArrayDeque<>();
    /** How long a window waits for diag's start-up (JFR, the samplers) before it gives up. */
    private static final long INIT_WAIT_MS = 60_000;

    private final Agent agent;
    private final WindowRequest request;
    /** Started by premain: the answer also goes to stderr, which the CLI that started the command shares. */
    private final boolean onStderr;
    private volatile boolean cut;
    /** The {@code diag-window} thread, once it records. */
    private volatile Thread thread;

    private RequestedWindow(Agent agent, WindowRequest request, boolean onStderr) {
        this.agent = agent;
        this.request = request;
        this.onStderr = onStderr;
    }

    /** Starts recording {@code request} in {@code agent}; returns the line that says so. */
    static String start(Agent agent, WindowRequest request, boolean onStderr) {
        RequestedWindow w = new RequestedWindow(agent, request, onStderr);
        DiagThreads.start("window", w::run);
        return "recording " + request.profile() + " for " + seconds(request.durationNanos());
    }

    private void run() {
        List<String> lines = new ArrayList<>();
        boolean written = false;
        try {
            if (!agent.awaitInitialized(INIT_WAIT_MS)) {
                lines.add("diag's start-up still runs after " + INIT_WAIT_MS / 1000 + " s; no " + request.profile()
                        + " window recorded");
                return;
            }
            thread = Thread.currentThread();
            agent.windowRecording(this, true);
            written = recordAndWrite(lines);
        } catch (Throwable e) {
            lines.add("the " + request.profile() + " window failed: " + e);
        } finally {
            agent.windowRecording(this, false);
            answer(written, lines);
        }
    }

    /** Records with the rate the profile needs, puts it back, writes; returns whether the file was written. */
    private boolean recordAndWrite(List<String> lines) throws Exception {
        String profile = request.profile();
        OptionKey rateKey = profile.equals(GoProfiles.BLOCK) ? OptionKey.BLOCK_RATE
                : profile.equals(GoProfiles.MUTEX) ? OptionKey.MUTEX_FRACTION : null;
        boolean raised = rateKey != null && rate(agent.options(), rateKey) == 0 && setRate(rateKey, 1, lines);
        if (raised) lines.add(rateKey.key() + " was 0: 1 during the window, then 0 again");
        Map<String, ProfileData> window;
        long start = 0;
        try {
            startSampler(profile);
            start = System.nanoTime();
            window = new ProfileWindow(agent, agent.cpu()).record(Set.of(profile), request.durationNanos(), () -> cut,
                    true);
        } finally {
            // Only if still the window's own 1: another attach may have set a rate meanwhile, and that one stays.
            if (raised && rate(agent.options(), rateKey) == 1) setRate(rateKey, 0, lines);
        }
        ProfileData data = window.get(profile);
        if (data == null) {
            lines.add(unavailable(profile));
            return false;
        }
        long took = data.durationNanos() > 0 ? data.durationNanos() : System.nanoTime() - start;
        if (cut) lines.add("the JVM exited " + seconds(took) + " into the window; the profile covers that part");
        try {
            AtomicFile.write(request.file(), out -> ProfileEncoder.write(data, out));
        } catch (java.io.IOException e) {
            lines.add("cannot write " + request.file() + ": " + FileErrors.describe(e));
            return false;
        }
        lines.add("recorded " + profile + ": " + data.samples().size() + " stacks in " + seconds(took));
        lines.addAll(data.comments());
        if (data.samples().isEmpty()) lines.add("the " + profile + " profile is empty: nothing was recorded in the window");
        return true;
    }

    /** Starts the sampler a profile needs when the options started none (a plain attach starts neither). */
    private void startSampler(String profile) {
        if (profile.equals(GoProfiles.CPU) || profile.equals(CpuFeature.WALL)) agent.cpu().startForWindows();
        if (profile.equals(GoProfiles.ALLOCS) || profile.equals(GoProfiles.HEAP)) {
            agent.memory().startForWindows(profile.equals(GoProfiles.HEAP));
        }
    }

    private static String unavailable(String profile) {
        if (profile.equals(CpuFeature.WALL)) {
            return "no wall profile: it needs diag's native engine (async-profiler), which is not running in this JVM";
        }
        return "no " + profile + " profile: its profiler is not running in this JVM (its stderr says why)";
    }

    private static long rate(Options options, OptionKey key) {
        return key == OptionKey.BLOCK_RATE ? options.blockRate() : options.mutexFraction();
    }

    /** Sets one rate through the re-attach path, so that status and /debug/vars show it; false when refused. */
    private boolean setRate(OptionKey key, long value, List<String> lines) {
        try {
            Reconfiguration.Result r = agent.reconfigure(Options.parse(key.key() + "=" + value));
            if (!r.rejected()) return true;
            lines.addAll(r.lines());
        } catch (Exception e) {
            lines.add("cannot set " + key.key() + ": " + e.getMessage());
        }
        return false;
    }

    /** Ends the window now and waits (bounded) until it is written: the exit's first step after JFR caught up. */
    void cutAtExit() {
        cut = true;
        Thread window = thread;
        if (window == null) return;
        try {
            window.join(TimeUnit.NANOSECONDS.toMillis(agent.options().getDurationNanos(OptionKey.EXIT_TIMEOUT)) / 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void answer(boolean written, List<String> lines) {
        if (onStderr) {
            // Profile comments carry diag's prefix already, which Log adds.
            for (String line : lines) Log.info(line.startsWith(Log.PREFIX) ? line.substring(Log.PREFIX.length()) : line);
        }
        AttachResult.Outcome outcome = written ? AttachResult.Outcome.OK : AttachResult.Outcome.FAILED;
        synchronized (PUBLISHED) {
            String key = request.resultProperty();
            new AttachResult(request.id(), outcome, lines).publish(key);
            PUBLISHED.addLast(key);
            while (PUBLISHED.size() > KEPT_ANSWERS) System.clearProperty(PUBLISHED.removeFirst());
        }
    }

    private static String seconds(long nanos) {
        return String.format("%.1f s", nanos / 1e9);
    }
}

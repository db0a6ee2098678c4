package dev.diag.agent;

import dev.diag.base.Log;
import dev.diag.base.OptionChange;
import dev.diag.base.OptionKey;
import dev.diag.base.Options;
import dev.diag.continuous.ProfileFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a re-attach's options to the running agent: all or nothing, and says what changed.
 *
 * <p>The new configuration is the running one with every key the request sets replaced. Each key whose effective
 * value changes must have an {@link OptionChange} registered by its feature; if one has none, or one refuses, the
 * request is rejected and the running configuration stays as it was. Otherwise the configuration is swapped and each
 * change applied once, in registration order. Hooks are never installed again: a change only flips what the installed
 * hooks and running threads do.
 */
final class Reconfiguration {
    /** What the attach CLI prints: whether the request was rejected, and one line per change or refusal. */
    record Result(boolean rejected, List<String> lines) {}

    private Reconfiguration() {}

    /**
     * Registers the changes the agent itself makes: log level and continuous profiling into out=. The features
     * register theirs as they start (the HTTP endpoint, block and mutex rates).
     */
    static void registerBuiltIns(Agent agent) {
        agent.onOptionChange("log", Set.of(OptionKey.LOG), (before, after) -> Log.setLevel(after.logLevel()));
        agent.onOptionChange("continuous profiling",
                Set.of(OptionKey.OUT, OptionKey.OUT_KEEP, OptionKey.OUT_MAX, OptionKey.PROFILES, OptionKey.INTERVAL,
                        OptionKey.DURATION, OptionKey.PUSH, OptionKey.PUSH_APP, OptionKey.PUSH_LABELS, OptionKey.PUSH_USER,
                        OptionKey.PUSH_PASSWORD_FILE, OptionKey.PUSH_TOKEN_FILE, OptionKey.PUSH_TENANT),
                new ContinuousChange(agent));
    }

    /** Applies {@code requested} to {@code agent}; never throws. */
    static Result apply(Agent agent, Options requested) {
        Options before = agent.options();
        Options after = before.with(requested);
        List<OptionKey> changed = new ArrayList<>();
        for (OptionKey k : OptionKey.values()) {
            if (before.differs(after, k)) changed.add(k);
        }
        if (changed.isEmpty()) return new Result(false, List.of("nothing changed; diag runs with " + shown(before)));

        Map<OptionChange, String> changes = new LinkedHashMap<>();
        List<String> refusals = new ArrayList<>();
        for (OptionKey k : changed) {
            Agent.NamedChange c = agent.optionChange(k);
            if (c == null) {
                refusals.add(k.key() + " cannot change while diag runs (it is " + before.shown(k)
                        + "); restart the JVM with -javaagent:diag.jar=" + k.key() + "=" + after.shown(k));
            } else {
                changes.putIfAbsent(c.change(), c.feature());
            }
        }
        for (OptionChange c : changes.keySet()) {
            String why = c.refusal(before, after);
            if (why != null) refusals.add(why);
        }
        if (!refusals.isEmpty()) {
            refusals.add("configuration unchanged: " + shown(before));
            return new Result(true, refusals);
        }

        agent.setOptions(after);
        List<String> lines = new ArrayList<>();
        for (OptionKey k : changed) lines.add(k.key() + ": " + before.shown(k) + " -> " + after.shown(k));
        for (Map.Entry<OptionChange, String> c : changes.entrySet()) {
            agent.feature(c.getValue(), () -> c.getKey().apply(before, after));
        }
        return new Result(false, lines);
    }

    private static String shown(Options o) {
        String s = o.toString();
        return s.isEmpty() ? "defaults" : s;
    }

    /** Restarts continuous profiling with the new out=, profiles, interval and duration (interval=0 stops it). */
    private static final class ContinuousChange implements OptionChange {
        /** How long a restart sends what the old pusher still holds before the new one starts. */
        private static final long RESTART_FLUSH_NANOS = 2_000_000_000L;
        private final Agent agent;

        ContinuousChange(Agent agent) {
            this.agent = agent;
        }

        @Override
        public String refusal(Options before, Options after) {
            long interval = after.getDurationNanos(OptionKey.INTERVAL);
            long duration = after.isSet(OptionKey.DURATION) ? after.getDurationNanos(OptionKey.DURATION) : interval;
            if (interval > 0 && !after.isSet(OptionKey.OUT) && !after.isSet(OptionKey.PUSH)) {
                return "interval= needs out=DIR or push=URL";
            }
            if (interval > 0 && duration > interval) {
                return "duration (" + after.shown(OptionKey.DURATION) + ") is longer than interval ("
                        + after.shown(OptionKey.INTERVAL) + ")";
            }
            if (after.isSet(OptionKey.OUT) && !after.get(OptionKey.OUT).equals(before.get(OptionKey.OUT))
                    && !new ProfileFiles(Path.of(after.get(OptionKey.OUT))).prepare()) {
                return "out=" + after.shown(OptionKey.OUT) + " is not a writable directory";
            }
            return null;
        }

        @Override
        public void apply(Options before, Options after) {
            agent.stopContinuous(System.nanoTime() + RESTART_FLUSH_NANOS);
            if (!after.get(OptionKey.OUT).equals(before.get(OptionKey.OUT))) {
                agent.setFiles(after.isSet(OptionKey.OUT) ? new ProfileFiles(Path.of(after.get(OptionKey.OUT))) : null);
            }
            agent.startContinuous();
        }
    }
}

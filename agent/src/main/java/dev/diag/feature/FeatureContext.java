package dev.diag.feature;

import dev.diag.base.OptionChange;
import dev.diag.base.OptionKey;
import dev.diag.base.Options;
import dev.diag.jfr.JfrSession;
import dev.diag.labels.ThreadLabels;
import dev.diag.pprof.ProfileData;
import dev.diag.pprof.ProfileRegistry;
import dev.diag.sampler.NativeSampler;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** What a {@link Feature} may use of the running agent; the agent implements it, and is the only implementation. */
public interface FeatureContext {
    /** The running configuration; a re-attach replaces it as a whole. */
    Options options();

    /** The profiles served under {@code /debug/pprof/} and written to {@code out=}. */
    ProfileRegistry registry();

    Instrumentation instrumentation();

    /** Publishes a counter (events seen, dropped, ring occupancy) under a dotted name such as {@code block.dropped}. */
    void addCounter(String name, LongSupplier value);

    /** The published counters, sorted by name, live. */
    Map<String, LongSupplier> counters();

    /** Makes a profile writable at exit under {@code name} without registering it for HTTP (cpu: start to exit). */
    void addExitProfile(String name, Supplier<ProfileData> source);

    /** Registers an action run at shutdown, in reverse order, before files are written (stop a sampler, drain). */
    void onStop(Runnable action);

    /** Registers an action run at shutdown after files are written (close a server). */
    void onClose(Runnable action);

    /**
     * Registers how {@code feature} takes a changed value of {@code keys} at re-attach. Without a registration a key
     * cannot change after start.
     */
    void onOptionChange(String feature, Set<OptionKey> keys, OptionChange change);

    /**
     * The one JFR session features share, or null (after one {@code diag:} line, the first time) when this runtime
     * has no JFR. Starting it costs about a second of CPU: call it only for a feature that is on.
     */
    JfrSession jfr();

    /**
     * The one native sampler cpu, wall and allocs share, or null when {@code engine=jfr} or it cannot run here (one
     * {@code diag:} line says why, the first time, and the features fall back to JFR).
     */
    NativeSampler nativeSampler();

    /**
     * Each thread's labels as of the JFR event being handled, for every feature that labels JFR events (cpu and
     * allocs under the JFR engine, {@code synchronized} waits): one follower, started by the first call (each label
     * change then also commits a {@code dev.diag.LabelsChanged} JFR event); null when JFR cannot run here.
     */
    ThreadLabels threadLabels();
}

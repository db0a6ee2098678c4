package dev.diag.pprof;

import java.util.function.BooleanSupplier;

/**
 * A profile recorded over a window of time, one window at a time, as Go's {@code StartCPUProfile}/{@code StopCPUProfile}:
 * {@code /debug/pprof/profile?seconds=N} and continuous profiling call it.
 */
public interface WindowedProfiler {
    /**
     * Records for {@code durationNanos} (≤ 0: return an empty profile at once, as Go does with a wrapped duration) and
     * returns the profile of that window. Stops early, returning what it has, when {@code cancelled} turns true.
     * {@code admitted} runs once the window is sure not to be refused, before it records (the HTTP endpoint sends
     * its headers then).
     *
     * @throws ProfilerBusyException when another window of this profiler is recording
     */
    ProfileData record(long durationNanos, BooleanSupplier cancelled, Runnable admitted)
            throws InterruptedException, ProfilerBusyException;

    /**
     * Records a window like {@link #record} but alongside anything else: it is never refused and never makes a
     * concurrent {@link #record} busy. Continuous profiling uses it, so that a {@code /profile} request is refused
     * only while another {@code /profile} request runs (as in Go, where only StartCPUProfile is exclusive).
     * {@code watched}: someone waits for this window now (the {@code profile} command), so it is sampled at the asked
     * rate even where that costs more than the background's.
     */
    ProfileData recordAlongside(long durationNanos, BooleanSupplier cancelled, boolean watched)
            throws InterruptedException;

    /** Thrown when a window is requested while another one records; Go answers 500 with {@code message}. */
    final class ProfilerBusyException extends Exception {
        public ProfilerBusyException(String message) {
            super(message);
        }
    }
}

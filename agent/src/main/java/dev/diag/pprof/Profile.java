package dev.diag.pprof;

/**
 * A named profile, as Go's {@code *pprof.Profile}: what {@code /debug/pprof/NAME} serves and {@code out=} writes.
 *
 * <p>Implementations are thread-safe: the HTTP server, the file writer and the drainer call them concurrently.
 */
public interface Profile {
    /** Returns the name as Go spells it: {@code heap}, {@code goroutine}, or a custom name. */
    String name();

    /** Returns the number of entries Go's index page shows (stacks or goroutines), cheaply. */
    int count();

    /** Returns the profile as of now (cumulative since start for allocs, block, mutex, threadcreate). */
    ProfileData snapshot();
}

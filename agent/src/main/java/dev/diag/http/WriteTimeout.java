package dev.diag.http;

/**
 * The {@code http.timeout} option, Go's {@code http.Server.WriteTimeout} as {@code net/http/pprof} sees it: a window of
 * {@code seconds} at or beyond it is refused with 400 {@code profile duration exceeds server's WriteTimeout}, checked
 * after the defaults are filled in (so with a timeout of 30 s or less a plain {@code /profile} is refused, as in Go).
 * Off by default, as Go's default server has none. It bounds how long a request may hold a worker thread.
 */
final class WriteTimeout {
    static final WriteTimeout NONE = new WriteTimeout(0);

    private final double seconds;

    /** @param nanos the timeout, or 0 for none */
    WriteTimeout(long nanos) {
        this.seconds = nanos / 1e9;
    }

    /** Go's durationExceedsWriteTimeout: a timeout is set and {@code windowSeconds >= timeout} (false for NaN). */
    boolean exceeds(double windowSeconds) {
        return seconds != 0 && windowSeconds >= seconds;
    }
}

package dev.diag.push;

import dev.diag.pprof.ProfileData;

import java.net.URI;

/**
 * What one push protocol makes of a window: the request body, where it goes, its content type, and which answers
 * mean "try again later". {@link WindowPusher} does the rest (queue, retries, exit flush, auth, lines) for every
 * format alike.
 */
interface PushFormat {
    /** Encodes one profile's window as a request body. Runs on the recording thread, never an application thread. */
    byte[] encode(String profile, ProfileData data, long fromSeconds, long untilSeconds);

    /** Returns where the window is POSTed. */
    URI uri(Window w);

    String contentType();

    /** The {@code Content-Encoding} of the body {@link #encode} returns, or null when it is sent as is. */
    String contentEncoding();

    /** Returns whether a window answered {@code status} (not 2xx) is sent again; otherwise it is dropped at once. */
    boolean retryable(int status);
}

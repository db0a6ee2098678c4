package dev.diag.attach;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A request from {@code java -jar diag.jar profile} to the agent: record one profile for a duration and write it, as
 * gzipped pprof, to a file. It travels inside the agent arguments' request id ({@link AttachResult#requestArgs}), so
 * that the same words reach {@code agentmain} (a running JVM) and {@code premain} (a command the CLI starts), and
 * the agent answers in the system property {@link #resultProperty}.
 *
 * @param id            the request's own id, which its answer carries
 * @param profile       the Go profile name to record ({@code cpu}, {@code block}, ...)
 * @param durationNanos the window's length
 * @param file          where the target writes the profile, absolute
 */
public record WindowRequest(String id, String profile, long durationNanos, Path file) {
    /** Separates the parts in the request id; neither a UUID, a profile name, a number nor URL-encoding holds it. */
    private static final char SEPARATOR = '!';

    /** Returns the request id word that carries this request (no spaces: the agent arguments split at the first). */
    public String requestId() {
        return id + SEPARATOR + profile + SEPARATOR + durationNanos + SEPARATOR
                + URLEncoder.encode(file.toString(), StandardCharsets.UTF_8);
    }

    /** Returns the window request a request id carries, or null when it carries none (a plain attach). */
    public static WindowRequest fromRequestId(String requestId) {
        String[] parts = requestId.split(String.valueOf(SEPARATOR), -1);
        if (parts.length != 4) return null;
        try {
            return new WindowRequest(parts[0], parts[1], Long.parseLong(parts[2]),
                    Path.of(URLDecoder.decode(parts[3], StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The system property the target answers this request in ({@link AttachResult}'s encoding). */
    public String resultProperty() {
        return AgentProperties.WINDOW_RESULT + "." + id;
    }
}

package dev.diag.push;

import dev.diag.pprof.ProfileData;
import dev.diag.pprof.ProfileEncoder;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Grafana Pyroscope's {@code POST /ingest?name=app{k=v}&from=&until=&format=pprof}: the body is the gzipped pprof
 * itself, the series name and window bounds are in the query.
 */
final class PyroscopeIngest implements PushFormat {
    /** Spy name Pyroscope's own Java agent sends; Pyroscope stores it as the {@code pyroscope_spy} label. */
    static final String SPY_NAME = "javaspy";

    private final URI server;
    private final String app;
    private final Map<String, String> labels;

    PyroscopeIngest(URI server, String app, Map<String, String> labels) {
        this.server = server;
        this.app = app;
        this.labels = labels;
    }

    @Override
    public byte[] encode(String profile, ProfileData data, long fromSeconds, long untilSeconds) {
        return ProfileEncoder.toGzip(data);
    }

    /**
     * Returns Pyroscope's series name for this application: {@code app{k=v,...}}. With {@code format=pprof} Pyroscope
     * takes the profile type from the pprof's sample types and the whole name before the brace as the service name,
     * so the name carries no {@code .cpu}-style suffix (that suffix is for the formats without sample types).
     */
    String seriesName() {
        StringBuilder sb = new StringBuilder(app).append('{');
        labels.forEach((k, v) -> sb.append(sb.charAt(sb.length() - 1) == '{' ? "" : ",").append(k).append('=').append(v));
        return sb.append('}').toString();
    }

    @Override
    public URI uri(Window w) {
        StringBuilder q = new StringBuilder()
                .append("name=").append(encode(seriesName()))
                .append("&from=").append(w.fromSeconds())
                .append("&until=").append(w.untilSeconds())
                .append("&format=pprof");
        if (w.sampleRateHz() > 0) q.append("&sampleRate=").append(w.sampleRateHz());
        q.append("&spyName=").append(SPY_NAME);
        String base = server.toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + "ingest?" + q);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String contentType() {
        return "application/octet-stream";
    }

    /** The body is gzipped, but as the pprof file itself (Pyroscope reads either), not as an HTTP encoding. */
    @Override
    public String contentEncoding() {
        return null;
    }

    /** Pyroscope's server errors are transient as a rule; 408 and 429 ask for a later try. */
    @Override
    public boolean retryable(int status) {
        return status >= 500 || status == 429 || status == 408;
    }
}

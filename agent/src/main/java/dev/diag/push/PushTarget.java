package dev.diag.push;

import dev.diag.base.FileErrors;
import dev.diag.base.OptionKey;
import dev.diag.base.Options;
import dev.diag.base.StaticLabels;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * Where and as whom windows are pushed: the server, the application name and static labels of every series, and the
 * headers (auth, tenant). Secrets are read from their files once, here, and live only in {@link #authorization()};
 * {@link #toString()} shows the server alone.
 */
public final class PushTarget {
    /** Spy name Pyroscope's own Java agent sends; Pyroscope stores it as the {@code pyroscope_spy} label. */
    static final String SPY_NAME = "javaspy";

    private final URI server;
    private final String app;
    private final Map<String, String> labels;
    private final String authorization;
    private final String tenant;

    PushTarget(URI server, String app, Map<String, String> labels, String authorization, String tenant) {
        this.server = server;
        this.app = app;
        this.labels = labels;
        this.authorization = authorization;
        this.tenant = tenant;
    }

    /**
     * Returns the target {@code push=} and its companion options describe. Throws, with the reason in plain words
     * and never a secret, when a secret file cannot be read or the auth options contradict each other.
     */
    public static PushTarget from(Options o, String commandLine) throws IOException {
        String auth = null;
        boolean basic = o.isSet(OptionKey.PUSH_USER) || o.isSet(OptionKey.PUSH_PASSWORD_FILE);
        if (basic && o.isSet(OptionKey.PUSH_TOKEN_FILE)) {
            throw new IOException("push.user/push.password.file and push.token.file exclude each other");
        }
        if (basic) {
            if (!o.isSet(OptionKey.PUSH_USER) || !o.isSet(OptionKey.PUSH_PASSWORD_FILE)) {
                throw new IOException("basic auth needs both push.user and push.password.file");
            }
            String password = secret(o.get(OptionKey.PUSH_PASSWORD_FILE), "push.password.file");
            auth = "Basic " + Base64.getEncoder().encodeToString(
                    (o.get(OptionKey.PUSH_USER) + ":" + password).getBytes(StandardCharsets.UTF_8));
        } else if (o.isSet(OptionKey.PUSH_TOKEN_FILE)) {
            auth = "Bearer " + secret(o.get(OptionKey.PUSH_TOKEN_FILE), "push.token.file");
        }
        String app = o.isSet(OptionKey.PUSH_APP) ? o.get(OptionKey.PUSH_APP) : AppName.fromCommand(commandLine);
        String tenant = o.isSet(OptionKey.PUSH_TENANT) ? o.get(OptionKey.PUSH_TENANT) : null;
        return new PushTarget(URI.create(o.get(OptionKey.PUSH)), app, StaticLabels.parse(o.get(OptionKey.PUSH_LABELS)),
                auth, tenant);
    }

    private static String secret(String file, String key) throws IOException {
        String s;
        try {
            s = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read " + key + ": " + FileErrors.describe(e), e);
        }
        if (s.isEmpty()) throw new IOException(key + " is empty");
        if (s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) throw new IOException(key + " holds control characters");
        return s;
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

    /** Returns the ingest URL of one window. */
    URI ingestUri(Window w) {
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

    /** The {@code Authorization} header value, or null. Never log it. */
    String authorization() {
        return authorization;
    }

    /** The {@code X-Scope-OrgID} header value, or null. */
    String tenant() {
        return tenant;
    }

    public String app() {
        return app;
    }

    /** Returns the server URL, the only part of the target a line may name. */
    @Override
    public String toString() {
        return server.toString();
    }
}

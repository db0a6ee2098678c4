package dev.diag.push;

import dev.diag.base.FileErrors;
import dev.diag.base.OptionKey;
import dev.diag.base.Options;
import dev.diag.base.StaticLabels;
import dev.diag.pprof.ProfileData;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * Where, how and as whom windows are pushed: the server and its format (Pyroscope's ingest API for {@code http(s)://},
 * OTLP profiles for {@code otlp+http(s)://}), the application name and static labels of every series, and the headers
 * (auth, tenant). Secrets are read from their files once, here, and live only in {@link #authorization()};
 * {@link #toString()} shows the server alone.
 */
public final class PushTarget {
    /** The scheme prefix of an OTLP/HTTP target: {@code otlp+http://host:4318}. */
    static final String OTLP_PREFIX = "otlp+";

    /** The push= URL as given, the only part of the target a line may name. */
    private final String shown;
    private final String app;
    private final PushFormat format;
    private final String authorization;
    private final String tenant;

    PushTarget(String shown, String app, PushFormat format, String authorization, String tenant) {
        this.shown = shown;
        this.app = app;
        this.format = format;
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
        String url = o.get(OptionKey.PUSH);
        Map<String, String> labels = StaticLabels.parse(o.get(OptionKey.PUSH_LABELS));
        PushFormat format = url.startsWith(OTLP_PREFIX)
                ? new OtlpProfiles(URI.create(url.substring(OTLP_PREFIX.length())), app, labels,
                        ProcessHandle.current().pid())
                : new PyroscopeIngest(URI.create(url), app, labels);
        return new PushTarget(url, app, format, auth, tenant);
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

    /** Returns the request body of one profile's window, in this target's format. */
    public byte[] encode(String profile, ProfileData data, long fromSeconds, long untilSeconds) {
        return format.encode(profile, data, fromSeconds, untilSeconds);
    }

    /** Returns where a window is POSTed. */
    URI uri(Window w) {
        return format.uri(w);
    }

    PushFormat format() {
        return format;
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
        return shown;
    }
}

package dev.diag.push;

import dev.diag.pprof.ProfileData;

import java.net.URI;
import java.util.Map;

/**
 * OTLP/HTTP with binary protobuf for the profiles signal, as opentelemetry-proto v1.11.0's
 * {@code docs/specification.md} defines it: {@code POST /v1development/profiles} with an
 * {@code ExportProfilesServiceRequest} body, {@code Content-Type: application/x-protobuf}, and only 429, 502, 503 and
 * 504 retried ("all other 4xx or 5xx response status codes MUST NOT be retried").
 */
final class OtlpProfiles implements PushFormat {
    /** The default URL path for profiles, appended to the base URL as the OTLP exporters append {@code v1/traces}. */
    static final String PATH = "v1development/profiles";

    private final URI endpoint;
    private final OtlpProfilesEncoder.Resource resource;

    /** {@code server} is the base URL (scheme http or https, the {@code otlp+} prefix removed). */
    OtlpProfiles(URI server, String app, Map<String, String> labels, long pid) {
        String base = server.toString();
        this.endpoint = URI.create((base.endsWith("/") ? base : base + "/") + PATH);
        this.resource = new OtlpProfilesEncoder.Resource(app, pid, labels);
    }

    @Override
    public byte[] encode(String profile, ProfileData data, long fromSeconds, long untilSeconds) {
        return OtlpProfilesEncoder.encode(resource, profile, data, fromSeconds * 1_000_000_000L,
                (untilSeconds - fromSeconds) * 1_000_000_000L);
    }

    @Override
    public URI uri(Window w) {
        return endpoint;
    }

    @Override
    public String contentType() {
        return "application/x-protobuf";
    }

    @Override
    public boolean retryable(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }
}

package dev.diag.push;

import dev.diag.pprof.ProfileData;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * OTLP/HTTP with binary protobuf for the profiles signal, as opentelemetry-proto v1.11.0's
 * {@code docs/specification.md} defines it: {@code POST /v1development/profiles} with an
 * {@code ExportProfilesServiceRequest} body, {@code Content-Type: application/x-protobuf}, gzipped with
 * {@code Content-Encoding: gzip}, and only 429, 502, 503 and
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

    /**
     * Gzipped, as the spec allows ("The client MAY gzip the content"): a window is then about half its protobuf size,
     * near the gzipped pprof sent to Pyroscope (PushEncodingBenchmark), so the queue's 32 MiB hold as many windows.
     */
    @Override
    public byte[] encode(String profile, ProfileData data, long fromSeconds, long untilSeconds) {
        byte[] request = OtlpProfilesEncoder.encode(resource, profile, data, fromSeconds * 1_000_000_000L,
                (untilSeconds - fromSeconds) * 1_000_000_000L);
        ByteArrayOutputStream out = new ByteArrayOutputStream(request.length / 3 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024)) {
            gz.write(request);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return out.toByteArray();
    }

    @Override
    public String contentEncoding() {
        return "gzip";
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

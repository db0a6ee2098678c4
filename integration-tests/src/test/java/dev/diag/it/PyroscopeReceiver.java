package dev.diag.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.diag.it.pprof.Profile;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A stand-in for Grafana Pyroscope's {@code POST /ingest} as its server reads a {@code format=pprof} request (the
 * query parameters of the ingest API; with {@code format=pprof} the body itself is the pprof, gzipped or not). Every
 * request is checked against that contract and decoded with protobuf-java; what breaks the contract is answered 400
 * and listed in {@link #violations()}. It can answer 500 to the first N requests, and hold every answer until a gate
 * opens (a server that hangs).
 */
final class PyroscopeReceiver implements AutoCloseable {
    /** One request as received: its decoded query, headers of interest, decoded profile and the status answered. */
    record Ingest(Instant at, Map<String, String> query, String authorization, String tenant, String contentType,
                  Profile profile, int status) {
        String name() { return query.get("name"); }
        long from() { return Long.parseLong(query.get("from")); }
        long until() { return Long.parseLong(query.get("until")); }

        /** The profile's first sample type, as {@code type/unit}. */
        String sampleType() {
            var st = profile.getSampleType(0);
            return profile.getStringTable((int) st.getType()) + "/" + profile.getStringTable((int) st.getUnit());
        }

        /** The sum of the first value over samples whose stack holds a function whose name ends with {@code suffix}. */
        long valueIn(String suffix, int valueIndex) {
            Map<Long, String> functions = new java.util.HashMap<>();
            profile.getFunctionList().forEach(f -> functions.put(f.getId(), profile.getStringTable((int) f.getName())));
            Map<Long, Set<String>> locations = new java.util.HashMap<>();
            profile.getLocationList().forEach(l -> {
                Set<String> names = new HashSet<>();
                l.getLineList().forEach(line -> names.add(functions.get(line.getFunctionId())));
                locations.put(l.getId(), names);
            });
            long sum = 0;
            for (var s : profile.getSampleList()) {
                boolean hit = s.getLocationIdList().stream()
                        .anyMatch(id -> locations.get(id).stream().anyMatch(n -> n != null && n.endsWith(suffix)));
                if (hit) sum += s.getValue(valueIndex);
            }
            return sum;
        }
    }

    private final HttpServer server;
    private final List<Ingest> ingests = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final AtomicInteger failFirst;
    private final CountDownLatch gate;

    private PyroscopeReceiver(int port, int failFirst, CountDownLatch gate, SSLContext tls) throws IOException {
        this.failFirst = new AtomicInteger(failFirst);
        this.gate = gate;
        if (tls == null) {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        } else {
            HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 16);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    /**
     * Starts a receiver on {@code port} (0: any free port) that fails the first {@code failFirst} requests with 500
     * and answers none before {@code gate} (null: no gate) opens.
     */
    static PyroscopeReceiver start(int port, int failFirst, CountDownLatch gate) throws IOException {
        return new PyroscopeReceiver(port, failFirst, gate, null);
    }

    /** Starts a receiver serving HTTPS with the key in {@code keyStore} (PKCS12), on any free port. */
    static PyroscopeReceiver startTls(Path keyStore, char[] password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        return new PyroscopeReceiver(0, 0, null, tls);
    }

    String httpsUrl() {
        return "https://127.0.0.1:" + port();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Every request, in arrival order, with the status it got. */
    List<Ingest> ingests() {
        return List.copyOf(ingests);
    }

    /** The requests answered 200, by profile type ({@code cpu/nanoseconds} first sample type), in arrival order. */
    List<Ingest> accepted(String sampleType) {
        return ingests.stream().filter(i -> i.status() == 200 && i.sampleType().equals(sampleType)).toList();
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Instant at = Instant.now();
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            List<String> wrong = new ArrayList<>();
            if (!ex.getRequestMethod().equals("POST")) wrong.add("method " + ex.getRequestMethod());
            if (!ex.getRequestURI().getPath().equals("/ingest")) wrong.add("path " + ex.getRequestURI().getPath());
            String name = query.getOrDefault("name", "");
            if (!name.matches("[A-Za-z0-9_][A-Za-z0-9_.\\-]*\\{([A-Za-z_][A-Za-z0-9_]*=[^,{}=]+(,[A-Za-z_][A-Za-z0-9_]*=[^,{}=]+)*)?}")) {
                wrong.add("name " + name);
            }
            for (String k : List.of("from", "until")) {
                if (!query.getOrDefault(k, "").matches("\\d{10}")) wrong.add(k + " is not Unix seconds: " + query.get(k));
            }
            if (wrong.isEmpty() && Long.parseLong(query.get("from")) >= Long.parseLong(query.get("until"))) {
                wrong.add("from " + query.get("from") + " not before until " + query.get("until"));
            }
            if (!"pprof".equals(query.get("format"))) wrong.add("format " + query.get("format"));
            if (query.containsKey("sampleRate") && !query.get("sampleRate").matches("[1-9]\\d*")) {
                wrong.add("sampleRate " + query.get("sampleRate"));
            }
            String contentType = ex.getRequestHeaders().getFirst("Content-Type");
            // With format=pprof Pyroscope reads the body as the pprof itself; a multipart body would not parse.
            if (contentType != null && contentType.startsWith("multipart/")) wrong.add("multipart body");
            Profile profile = null;
            try {
                profile = Profile.parseFrom(gunzipIfGzip(body));
                if (profile.getSampleTypeCount() == 0 || profile.getStringTable(0).length() != 0) {
                    wrong.add("profile without sample types or with string_table[0] != \"\"");
                }
            } catch (IOException | RuntimeException e) {
                wrong.add("body is not a pprof profile: " + e);
            }
            int status;
            if (!wrong.isEmpty()) {
                violations.addAll(wrong);
                status = 400;
            } else if (failFirst.getAndDecrement() > 0) {
                status = 500;
            } else {
                status = 200;
            }
            if (gate != null) gate.await(30, TimeUnit.SECONDS);
            ingests.add(new Ingest(at, query, ex.getRequestHeaders().getFirst("Authorization"),
                    ex.getRequestHeaders().getFirst("X-Scope-OrgID"), contentType, profile, status));
            ex.sendResponseHeaders(status, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] gunzipIfGzip(byte[] body) throws IOException {
        if (body.length < 2 || (body[0] & 0xff) != 0x1f || (body[1] & 0xff) != 0x8b) return body;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) return out;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}

package dev.diag.it;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.profiles.v1development.Function;
import io.opentelemetry.proto.profiles.v1development.KeyValueAndUnit;
import io.opentelemetry.proto.profiles.v1development.Line;
import io.opentelemetry.proto.profiles.v1development.Link;
import io.opentelemetry.proto.profiles.v1development.Location;
import io.opentelemetry.proto.profiles.v1development.Mapping;
import io.opentelemetry.proto.profiles.v1development.Profile;
import io.opentelemetry.proto.profiles.v1development.ProfilesDictionary;
import io.opentelemetry.proto.profiles.v1development.Sample;
import io.opentelemetry.proto.profiles.v1development.Stack;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * A stand-in for an OpenTelemetry collector's OTLP/HTTP profiles receiver, as opentelemetry-proto v1.11.0 specifies
 * it: {@code POST /v1development/profiles}, {@code Content-Type: application/x-protobuf}, an
 * {@code ExportProfilesServiceRequest} body (gzipped when {@code Content-Encoding: gzip} says so), decoded with
 * protobuf-java against the vendored .proto files. Each request is checked against the proto's rules (every dictionary
 * table starts with its zero value, every index points into its table, one value per sample, unique attribute keys);
 * what breaks them is answered 400 and listed in {@link #violations()}. It can answer a given status to the first N
 * requests, and hold every answer until a gate opens (a server that hangs).
 */
final class OtlpReceiver implements AutoCloseable {
    static final String PATH = "/v1development/profiles";

    /** One request as received, with the status answered. */
    record Export(String contentType, String contentEncoding, String authorization,
                  ExportProfilesServiceRequest request, int status) {
        ProfilesDictionary dictionary() {
            return request.getDictionary();
        }

        /** The resource attributes of the (single) ResourceProfiles, by key: strings as String, ints as Long. */
        Map<String, Object> resourceAttributes() {
            Map<String, Object> out = new LinkedHashMap<>();
            for (KeyValue kv : request.getResourceProfiles(0).getResource().getAttributesList()) {
                AnyValue v = kv.getValue();
                out.put(kv.getKey(), v.hasIntValue() ? (Object) v.getIntValue() : v.getStringValue());
            }
            return out;
        }

        List<Profile> profiles() {
            return request.getResourceProfilesList().stream().flatMap(r -> r.getScopeProfilesList().stream())
                    .flatMap(s -> s.getProfilesList().stream()).toList();
        }

        /** The profile whose sample type is {@code type/unit}, or null. */
        Profile profile(String sampleType) {
            return profiles().stream().filter(p -> sampleType(p).equals(sampleType)).findFirst().orElse(null);
        }

        String sampleType(Profile p) {
            var t = p.getSampleType();
            return string(t.getTypeStrindex()) + "/" + string(t.getUnitStrindex());
        }

        String string(int index) {
            return dictionary().getStringTable(index);
        }

        /** The string attributes a profile carries, by key. */
        Map<String, String> attributes(Profile p) {
            Map<String, String> out = new LinkedHashMap<>();
            for (int i : p.getAttributeIndicesList()) {
                KeyValueAndUnit a = dictionary().getAttributeTable(i);
                out.put(string(a.getKeyStrindex()), a.getValue().getStringValue());
            }
            return out;
        }

        /** The sum of values over samples whose stack holds a function whose name ends with {@code suffix}. */
        long valueIn(Profile p, String suffix) {
            return valueIn(p, suffix, Map.of());
        }

        /** As {@link #valueIn(Profile, String)}, over the samples that also carry every attribute of {@code labels}. */
        long valueIn(Profile p, String suffix, Map<String, String> labels) {
            long sum = 0;
            for (Sample s : p.getSamplesList()) {
                Map<String, String> attributes = new LinkedHashMap<>();
                for (int i : s.getAttributeIndicesList()) {
                    KeyValueAndUnit a = dictionary().getAttributeTable(i);
                    attributes.put(string(a.getKeyStrindex()), a.getValue().getStringValue());
                }
                if (functionNames(s).stream().anyMatch(n -> n.endsWith(suffix))
                        && attributes.entrySet().containsAll(labels.entrySet())) {
                    sum += s.getValues(0);
                }
            }
            return sum;
        }

        /** The function names of a sample's stack, leaf first. */
        List<String> functionNames(Sample s) {
            List<String> names = new ArrayList<>();
            for (int loc : dictionary().getStackTable(s.getStackIndex()).getLocationIndicesList()) {
                for (Line line : dictionary().getLocationTable(loc).getLinesList()) {
                    names.add(string(dictionary().getFunctionTable(line.getFunctionIndex()).getNameStrindex()));
                }
            }
            return names;
        }
    }

    private final HttpServer server;
    private final List<Export> exports = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final AtomicInteger failFirst;
    private final int failStatus;
    private final CountDownLatch gate;

    private OtlpReceiver(int failFirst, int failStatus, CountDownLatch gate) throws IOException {
        this.failFirst = new AtomicInteger(failFirst);
        this.failStatus = failStatus;
        this.gate = gate;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    /**
     * Starts a receiver on a free port that answers {@code failStatus} to the first {@code failFirst} requests and none
     * before {@code gate} (null: no gate) opens.
     */
    static OtlpReceiver start(int failFirst, int failStatus, CountDownLatch gate) throws IOException {
        return new OtlpReceiver(failFirst, failStatus, gate);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Export> exports() {
        return List.copyOf(exports);
    }

    /** The requests answered 200 that hold a profile of {@code sampleType}, in arrival order. */
    List<Export> accepted(String sampleType) {
        return exports.stream().filter(e -> e.status() == 200 && e.profile(sampleType) != null).toList();
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            List<String> wrong = new ArrayList<>();
            if (!ex.getRequestMethod().equals("POST")) wrong.add("method " + ex.getRequestMethod());
            if (!ex.getRequestURI().getPath().equals(PATH)) wrong.add("path " + ex.getRequestURI().getPath());
            String contentType = ex.getRequestHeaders().getFirst("Content-Type");
            if (!"application/x-protobuf".equals(contentType)) wrong.add("content type " + contentType);
            String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
            if (encoding != null && !encoding.equals("gzip")) wrong.add("content encoding " + encoding);
            ExportProfilesServiceRequest request = null;
            try {
                // The spec: a client MAY gzip the body and then MUST say so in Content-Encoding.
                if ("gzip".equals(encoding)) {
                    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                        body = in.readAllBytes();
                    }
                }
                request = ExportProfilesServiceRequest.parseFrom(body);
                check(request, wrong);
            } catch (IOException | RuntimeException e) {
                wrong.add("body is not a valid ExportProfilesServiceRequest: " + e);
            }
            int status;
            if (!wrong.isEmpty()) {
                violations.addAll(wrong);
                status = 400;
            } else if (failFirst.getAndDecrement() > 0) {
                status = failStatus;
            } else {
                status = 200;
            }
            if (gate != null) gate.await(30, TimeUnit.SECONDS);
            String authorization = ex.getRequestHeaders().getFirst("Authorization");
            exports.add(new Export(contentType, encoding, authorization, request, status));
            byte[] answer = ExportProfilesServiceResponse.getDefaultInstance().toByteArray();
            ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) ex.getResponseBody().write(answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The rules of profiles.proto a receiver can check: zero values first, indices in range, sample shape. */
    private static void check(ExportProfilesServiceRequest r, List<String> wrong) {
        ProfilesDictionary d = r.getDictionary();
        if (d.getStringTableCount() == 0 || !d.getStringTable(0).isEmpty()) wrong.add("string_table[0] is not \"\"");
        zero(wrong, "mapping_table", d.getMappingTableList(), Mapping.getDefaultInstance());
        zero(wrong, "location_table", d.getLocationTableList(), Location.getDefaultInstance());
        zero(wrong, "function_table", d.getFunctionTableList(), Function.getDefaultInstance());
        zero(wrong, "attribute_table", d.getAttributeTableList(), KeyValueAndUnit.getDefaultInstance());
        zero(wrong, "stack_table", d.getStackTableList(), Stack.getDefaultInstance());
        Link zeroLink = Link.newBuilder().setTraceId(ByteString.copyFrom(new byte[16]))
                .setSpanId(ByteString.copyFrom(new byte[8])).build();
        if (d.getLinkTableCount() == 0 || !d.getLinkTable(0).equals(zeroLink)) {
            wrong.add("link_table[0] is not the zero Link of 16- and 8-byte ids");
        }
        int strings = d.getStringTableCount();
        for (Function f : d.getFunctionTableList()) {
            for (int s : List.of(f.getNameStrindex(), f.getSystemNameStrindex(), f.getFilenameStrindex())) {
                if (s < 0 || s >= strings) wrong.add("function string index " + s);
            }
        }
        for (Location l : d.getLocationTableList()) {
            if (l.getMappingIndex() < 0 || l.getMappingIndex() >= d.getMappingTableCount()) wrong.add("mapping index");
            for (Line line : l.getLinesList()) {
                if (line.getFunctionIndex() <= 0 || line.getFunctionIndex() >= d.getFunctionTableCount()) {
                    wrong.add("line function index " + line.getFunctionIndex());
                }
            }
            l.getAttributeIndicesList().forEach(i -> attributeIndex(d, i, wrong));
        }
        for (Stack s : d.getStackTableList()) {
            for (int loc : s.getLocationIndicesList()) {
                if (loc <= 0 || loc >= d.getLocationTableCount()) wrong.add("stack location index " + loc);
            }
        }
        for (KeyValueAndUnit a : d.getAttributeTableList()) {
            if (a.getKeyStrindex() < 0 || a.getKeyStrindex() >= strings) wrong.add("attribute key index");
        }
        if (r.getResourceProfilesCount() != 1) wrong.add(r.getResourceProfilesCount() + " ResourceProfiles");
        for (var rp : r.getResourceProfilesList()) {
            for (var sp : rp.getScopeProfilesList()) {
                for (Profile p : sp.getProfilesList()) {
                    if (p.getSampleType().getTypeStrindex() <= 0 || p.getSampleType().getTypeStrindex() >= strings) {
                        wrong.add("sample type");
                    }
                    if (p.getTimeUnixNano() == 0 || p.getDurationNano() == 0) wrong.add("profile without time");
                    p.getAttributeIndicesList().forEach(i -> attributeIndex(d, i, wrong));
                    Set<Object> identities = new HashSet<>();
                    for (Sample s : p.getSamplesList()) {
                        if (s.getStackIndex() < 0 || s.getStackIndex() >= d.getStackTableCount()) {
                            wrong.add("stack index " + s.getStackIndex());
                        }
                        if (s.getValuesCount() != 1) wrong.add(s.getValuesCount() + " values in a sample");
                        Set<Integer> keys = new HashSet<>();
                        for (int i : s.getAttributeIndicesList()) {
                            attributeIndex(d, i, wrong);
                            if (i > 0 && i < d.getAttributeTableCount()
                                    && !keys.add(d.getAttributeTable(i).getKeyStrindex())) {
                                wrong.add("a sample's attribute keys repeat");
                            }
                        }
                        if (!identities.add(List.of(s.getStackIndex(), Set.copyOf(s.getAttributeIndicesList()),
                                s.getLinkIndex()))) {
                            wrong.add("two samples of one identity not combined");
                        }
                    }
                }
            }
        }
    }

    private static void attributeIndex(ProfilesDictionary d, int i, List<String> wrong) {
        if (i <= 0 || i >= d.getAttributeTableCount()) wrong.add("attribute index " + i);
    }

    private static <T> void zero(List<String> wrong, String table, List<T> items, T zero) {
        if (items.isEmpty() || !items.get(0).equals(zero)) wrong.add(table + "[0] is not the zero value");
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}

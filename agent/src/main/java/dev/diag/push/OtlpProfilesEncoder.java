package dev.diag.push;

import dev.diag.pprof.AddressTable;
import dev.diag.pprof.Label;
import dev.diag.pprof.ProfileData;
import dev.diag.pprof.ProtoWriter;
import dev.diag.pprof.Sample;
import dev.diag.pprof.ValueType;
import dev.diag.stack.Frame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes one window of one diag profile as an OTLP {@code ExportProfilesServiceRequest}
 * (opentelemetry-proto v1.11.0, {@code opentelemetry/proto/profiles/v1development/profiles.proto}).
 *
 * <p>How pprof maps onto it: an OTLP Profile has one sample type, so each pprof sample type becomes a Profile of
 * its own, all sharing one {@code ProfilesDictionary}. Every dictionary table starts with its zero value, as the
 * proto requires, so that index 0 means "none". A stack is the list of location indices, leaf first, as in pprof.
 * Sample labels become attributes ({@code KeyValueAndUnit}); samples with equal stack and attributes are merged, as
 * the proto asks ("Samples having the same identity SHOULD be combined"), and zero values are left out.
 *
 * <p>Hand-written with {@link ProtoWriter}, as the pprof encoder: diag.jar carries no protobuf runtime.
 */
final class OtlpProfilesEncoder {
    // collector/profiles/v1development/profiles_service.proto
    private static final int REQUEST_RESOURCE_PROFILES = 1;
    private static final int REQUEST_DICTIONARY = 2;
    // profiles.proto: ResourceProfiles, ScopeProfiles
    private static final int RESOURCE_PROFILES_RESOURCE = 1;
    private static final int RESOURCE_PROFILES_SCOPE_PROFILES = 2;
    private static final int SCOPE_PROFILES_SCOPE = 1;
    private static final int SCOPE_PROFILES_PROFILES = 2;
    // resource.proto, common.proto
    private static final int RESOURCE_ATTRIBUTES = 1;
    private static final int KEY_VALUE_KEY = 1;
    private static final int KEY_VALUE_VALUE = 2;
    private static final int ANY_VALUE_STRING = 1;
    private static final int ANY_VALUE_INT = 3;
    private static final int SCOPE_NAME = 1;
    private static final int SCOPE_VERSION = 2;
    // profiles.proto: Profile
    private static final int PROFILE_SAMPLE_TYPE = 1;
    private static final int PROFILE_SAMPLES = 2;
    private static final int PROFILE_TIME_UNIX_NANO = 3;   // fixed64
    private static final int PROFILE_DURATION_NANO = 4;
    private static final int PROFILE_PERIOD_TYPE = 5;
    private static final int PROFILE_PERIOD = 6;
    private static final int PROFILE_ATTRIBUTE_INDICES = 11;
    private static final int VALUE_TYPE_TYPE = 1;
    private static final int VALUE_TYPE_UNIT = 2;
    private static final int SAMPLE_STACK_INDEX = 1;
    private static final int SAMPLE_ATTRIBUTE_INDICES = 2;
    private static final int SAMPLE_VALUES = 4;
    // profiles.proto: ProfilesDictionary and its items
    private static final int DICT_MAPPING_TABLE = 1;
    private static final int DICT_LOCATION_TABLE = 2;
    private static final int DICT_FUNCTION_TABLE = 3;
    private static final int DICT_LINK_TABLE = 4;
    private static final int DICT_STRING_TABLE = 5;
    private static final int DICT_ATTRIBUTE_TABLE = 6;
    private static final int DICT_STACK_TABLE = 7;
    private static final int MAPPING_MEMORY_START = 1;
    private static final int MAPPING_MEMORY_LIMIT = 2;
    private static final int MAPPING_FILENAME = 4;
    private static final int LOCATION_MAPPING_INDEX = 1;
    private static final int LOCATION_ADDRESS = 2;
    private static final int LOCATION_LINES = 3;
    private static final int LOCATION_ATTRIBUTE_INDICES = 4;
    private static final int LINE_FUNCTION_INDEX = 1;
    private static final int LINE_LINE = 2;
    private static final int FUNCTION_NAME = 1;
    private static final int FUNCTION_SYSTEM_NAME = 2;
    private static final int FUNCTION_FILENAME = 3;
    private static final int LINK_TRACE_ID = 1;
    private static final int LINK_SPAN_ID = 2;
    private static final int STACK_LOCATION_INDICES = 1;
    private static final int KEY_VALUE_AND_UNIT_KEY = 1;
    private static final int KEY_VALUE_AND_UNIT_VALUE = 2;
    private static final int KEY_VALUE_AND_UNIT_UNIT = 3;

    /** Semantic conventions' frame attribute; every diag frame is a JVM frame. */
    private static final String FRAME_TYPE_KEY = "profile.frame.type";
    private static final String FRAME_TYPE_JVM = "jvm";
    /**
     * Which diag profile a Profile came from. Needed because pprof's type names repeat across profiles (block and
     * mutex are both contentions/delay); no semantic convention names a profile, so the key is diag's own.
     */
    static final String PROFILE_NAME_KEY = "diag.profile";
    private static final String SCOPE = "diag";

    /** Resource attributes of every request: service.name, process.pid, and the push labels. */
    record Resource(String serviceName, long pid, Map<String, String> labels) {}

    private record FunctionKey(String name, String systemName, String file) {}

    private record Attribute(String key, String str, long num, String unit) {}

    /** Sample identity within one Profile: the stack and the (sorted) attribute indices. */
    private record SampleKey(int stack, List<Integer> attributes) {}

    private final ProtoWriter w = new ProtoWriter();
    private final Map<String, Integer> strings = new LinkedHashMap<>();
    private final Map<FunctionKey, Integer> functions = new LinkedHashMap<>();
    private final Map<Frame, Integer> locations = new LinkedHashMap<>();
    private final Map<List<Integer>, Integer> stacks = new LinkedHashMap<>();
    private final Map<Attribute, Integer> attributes = new LinkedHashMap<>();
    private final int frameTypeAttribute;

    private OtlpProfilesEncoder() {
        strings.put("", 0);
        functions.put(new FunctionKey("", "", ""), 0);
        stacks.put(List.of(), 0);
        attributes.put(new Attribute("", null, 0, null), 0);
        frameTypeAttribute = attribute(new Attribute(FRAME_TYPE_KEY, FRAME_TYPE_JVM, 0, null));
    }

    /** Returns the request body for one window of {@code profile}: [timeNanos, timeNanos + durationNanos). */
    static byte[] encode(Resource resource, String profile, ProfileData data, long timeNanos, long durationNanos) {
        return new OtlpProfilesEncoder().build(resource, profile, data, timeNanos, durationNanos);
    }

    private byte[] build(Resource resource, String profile, ProfileData data, long timeNanos, long durationNanos) {
        int resourceProfiles = w.startMessage();
        int res = w.startMessage();
        keyValue("service.name", resource.serviceName());
        keyValue("process.pid", resource.pid());
        resource.labels().forEach(this::keyValue);
        w.endMessage(RESOURCE_PROFILES_RESOURCE, res);

        int scopeProfiles = w.startMessage();
        int scope = w.startMessage();
        w.string(SCOPE_NAME, SCOPE);
        String version = OtlpProfilesEncoder.class.getPackage().getImplementationVersion();
        if (version != null) w.string(SCOPE_VERSION, version);
        w.endMessage(SCOPE_PROFILES_SCOPE, scope);
        int profileAttribute = attribute(new Attribute(PROFILE_NAME_KEY, profile, 0, null));
        List<ValueType> types = data.sampleTypes();
        for (int t = 0; t < types.size(); t++) {
            if (!sent(profile, types.get(t))) continue;
            profile(data, t, timeNanos, durationNanos, profileAttribute);
        }
        w.endMessage(RESOURCE_PROFILES_SCOPE_PROFILES, scopeProfiles);
        w.endMessage(REQUEST_RESOURCE_PROFILES, resourceProfiles);

        // The dictionary goes last because every Profile above may have added to it.
        dictionary();
        return w.toByteArray();
    }

    /**
     * Go's heap and allocs profiles carry the same four types and differ by which one pprof shows first; as OTLP
     * Profiles they would be two series of the same name with different meanings (live now, allocated in the window).
     * So heap sends what is live, allocs what was allocated.
     */
    private static boolean sent(String profile, ValueType type) {
        return switch (profile) {
            case "heap" -> type.type().startsWith("inuse_");
            case "allocs" -> type.type().startsWith("alloc_");
            default -> true;
        };
    }

    private void profile(ProfileData data, int typeIndex, long timeNanos, long durationNanos, int profileAttribute) {
        Map<SampleKey, long[]> merged = new LinkedHashMap<>();
        for (Sample s : data.samples()) {
            long v = s.values()[typeIndex];
            if (v == 0) continue;
            merged.computeIfAbsent(new SampleKey(stack(s.stack()), attributes(s.labels())), k -> new long[1])[0] += v;
        }
        int start = w.startMessage();
        valueType(PROFILE_SAMPLE_TYPE, data.sampleTypes().get(typeIndex));
        long[] indices = new long[8];
        for (Map.Entry<SampleKey, long[]> e : merged.entrySet()) {
            int sample = w.startMessage();
            w.int64Opt(SAMPLE_STACK_INDEX, e.getKey().stack());
            List<Integer> attrs = e.getKey().attributes();
            if (indices.length < attrs.size()) indices = new long[attrs.size()];
            for (int i = 0; i < attrs.size(); i++) indices[i] = attrs.get(i);
            w.int64s(SAMPLE_ATTRIBUTE_INDICES, indices, attrs.size());
            w.int64s(SAMPLE_VALUES, e.getValue(), 1);
            w.endMessage(PROFILE_SAMPLES, sample);
        }
        w.fixed64(PROFILE_TIME_UNIX_NANO, timeNanos);
        w.int64Opt(PROFILE_DURATION_NANO, durationNanos);
        if (data.periodType() != null) valueType(PROFILE_PERIOD_TYPE, data.periodType());
        w.int64Opt(PROFILE_PERIOD, data.period());
        w.int64s(PROFILE_ATTRIBUTE_INDICES, new long[] {profileAttribute}, 1);
        w.endMessage(SCOPE_PROFILES_PROFILES, start);
    }

    private void dictionary() {
        int dict = w.startMessage();

        w.endMessage(DICT_MAPPING_TABLE, w.startMessage()); // mapping_table[0] = Mapping{}
        // One mapping for all JVM code, as the pprof encoder writes, so that locations' addresses fall in it.
        int mapping = w.startMessage();
        w.int64Opt(MAPPING_MEMORY_START, AddressTable.BASE);
        w.int64Opt(MAPPING_MEMORY_LIMIT, AddressTable.LIMIT);
        w.int64Opt(MAPPING_FILENAME, string("java"));
        w.endMessage(DICT_MAPPING_TABLE, mapping);

        w.endMessage(DICT_LOCATION_TABLE, w.startMessage()); // location_table[0] = Location{}
        for (Frame f : locations.keySet()) {
            int loc = w.startMessage();
            w.int64(LOCATION_MAPPING_INDEX, 1);
            w.int64Opt(LOCATION_ADDRESS, AddressTable.addressOf(f));
            int line = w.startMessage();
            w.int64Opt(LINE_FUNCTION_INDEX, function(f));
            w.int64Opt(LINE_LINE, Math.max(0, f.line()));
            w.endMessage(LOCATION_LINES, line);
            w.int64s(LOCATION_ATTRIBUTE_INDICES, new long[] {frameTypeAttribute}, 1);
            w.endMessage(DICT_LOCATION_TABLE, loc);
        }

        // Functions were all numbered while the locations were; strings may still grow below.
        for (FunctionKey k : functions.keySet()) {
            int fn = w.startMessage();
            w.int64Opt(FUNCTION_NAME, string(k.name()));
            w.int64Opt(FUNCTION_SYSTEM_NAME, string(k.systemName()));
            w.int64Opt(FUNCTION_FILENAME, string(k.file()));
            w.endMessage(DICT_FUNCTION_TABLE, fn);
        }

        // link_table[0]: the all-zero ids of their proper lengths, as the proto recommends; diag writes no links.
        int link = w.startMessage();
        w.bytes(LINK_TRACE_ID, new byte[16]);
        w.bytes(LINK_SPAN_ID, new byte[8]);
        w.endMessage(DICT_LINK_TABLE, link);

        for (Map.Entry<Attribute, Integer> e : attributes.entrySet()) {
            Attribute a = e.getKey();
            int kv = w.startMessage();
            if (e.getValue() != 0) {
                w.int64Opt(KEY_VALUE_AND_UNIT_KEY, string(a.key()));
                anyValue(KEY_VALUE_AND_UNIT_VALUE, a.str(), a.num());
                if (a.unit() != null) w.int64Opt(KEY_VALUE_AND_UNIT_UNIT, string(a.unit()));
            }
            w.endMessage(DICT_ATTRIBUTE_TABLE, kv);
        }

        long[] ids = new long[64];
        for (List<Integer> s : stacks.keySet()) {
            if (ids.length < s.size()) ids = new long[s.size()];
            for (int i = 0; i < s.size(); i++) ids[i] = s.get(i);
            int stack = w.startMessage();
            w.int64s(STACK_LOCATION_INDICES, ids, s.size());
            w.endMessage(DICT_STACK_TABLE, stack);
        }

        // Every table above may have added strings: the string table goes last.
        for (String s : strings.keySet()) w.string(DICT_STRING_TABLE, s);
        w.endMessage(REQUEST_DICTIONARY, dict);
    }

    private void keyValue(String key, String value) {
        int kv = w.startMessage();
        w.string(KEY_VALUE_KEY, key);
        anyValue(KEY_VALUE_VALUE, value, 0);
        w.endMessage(RESOURCE_ATTRIBUTES, kv);
    }

    private void keyValue(String key, long value) {
        int kv = w.startMessage();
        w.string(KEY_VALUE_KEY, key);
        anyValue(KEY_VALUE_VALUE, null, value);
        w.endMessage(RESOURCE_ATTRIBUTES, kv);
    }

    /** An AnyValue holding {@code str}, or {@code num} when {@code str} is null. */
    private void anyValue(int tag, String str, long num) {
        int v = w.startMessage();
        if (str != null) {
            w.string(ANY_VALUE_STRING, str);
        } else {
            w.int64(ANY_VALUE_INT, num); // always written: int_value is a oneof member, 0 included
        }
        w.endMessage(tag, v);
    }

    private void valueType(int tag, ValueType t) {
        int start = w.startMessage();
        w.int64Opt(VALUE_TYPE_TYPE, string(t.type()));
        w.int64Opt(VALUE_TYPE_UNIT, string(t.unit()));
        w.endMessage(tag, start);
    }

    /** Returns the stack's index; its locations are leaf first, as pprof's. */
    private int stack(Frame[] frames) {
        Integer[] ids = new Integer[frames.length];
        for (int i = 0; i < frames.length; i++) ids[i] = location(frames[i]);
        return stacks.computeIfAbsent(Arrays.asList(ids), k -> stacks.size());
    }

    private int location(Frame f) {
        Integer id = locations.get(f);
        if (id == null) {
            id = locations.size() + 1; // location_table[0] is the zero Location, written apart
            locations.put(f, id);
            function(f);
        }
        return id;
    }

    private int function(Frame f) {
        FunctionKey key = new FunctionKey(f.functionName(), f.systemName(), f.fileName() == null ? "" : f.fileName());
        return functions.computeIfAbsent(key, k -> functions.size());
    }

    /** Returns a sample's attribute indices, sorted, one per key (keys must be unique: the first label wins). */
    private List<Integer> attributes(List<Label> labels) {
        if (labels.isEmpty()) return List.of();
        Map<String, Integer> byKey = new HashMap<>();
        for (Label l : labels) {
            byKey.putIfAbsent(l.key(), attribute(l.isString() ? new Attribute(l.key(), l.str(), 0, null)
                    : new Attribute(l.key(), null, l.num(), l.unit())));
        }
        List<Integer> out = new ArrayList<>(byKey.values());
        out.sort(null);
        return out;
    }

    private int attribute(Attribute a) {
        return attributes.computeIfAbsent(a, k -> attributes.size());
    }

    private int string(String s) {
        return strings.computeIfAbsent(s, k -> strings.size());
    }
}

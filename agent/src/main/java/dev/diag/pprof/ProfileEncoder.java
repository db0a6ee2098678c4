package dev.diag.pprof;

import dev.diag.stack.Frame;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Encodes a {@link ProfileData} as gzipped {@code profile.proto}, the bytes {@code go tool pprof} reads.
 *
 * <p>Tables as Go builds them: string 0 is "", function and location ids start at 1, one Function per
 * (name, descriptor, file), one Location per (function, line) with a stable synthetic address, and a single
 * Mapping with functions, file names and line numbers present so pprof never tries to symbolize.
 */
public final class ProfileEncoder {
    // profile.proto field numbers (github.com/google/pprof/proto/profile.proto).
    private static final int PROFILE_SAMPLE_TYPE = 1;        // repeated ValueType
    private static final int PROFILE_SAMPLE = 2;             // repeated Sample
    private static final int PROFILE_MAPPING = 3;            // repeated Mapping
    private static final int PROFILE_LOCATION = 4;           // repeated Location
    private static final int PROFILE_FUNCTION = 5;           // repeated Function
    private static final int PROFILE_STRING_TABLE = 6;       // repeated string
    private static final int PROFILE_TIME_NANOS = 9;         // int64
    private static final int PROFILE_DURATION_NANOS = 10;    // int64
    private static final int PROFILE_PERIOD_TYPE = 11;       // ValueType
    private static final int PROFILE_PERIOD = 12;            // int64
    private static final int PROFILE_COMMENT = 13;           // repeated int64 (string index)
    private static final int PROFILE_DEFAULT_SAMPLE_TYPE = 14; // int64 (string index)

    private static final int VALUE_TYPE_TYPE = 1;            // int64 (string index)
    private static final int VALUE_TYPE_UNIT = 2;            // int64 (string index)

    private static final int SAMPLE_LOCATION_ID = 1;         // repeated uint64
    private static final int SAMPLE_VALUE = 2;               // repeated int64
    private static final int SAMPLE_LABEL = 3;               // repeated Label

    private static final int LABEL_KEY = 1;                  // int64 (string index)
    private static final int LABEL_STR = 2;                  // int64 (string index)
    private static final int LABEL_NUM = 3;                  // int64
    private static final int LABEL_NUM_UNIT = 4;             // int64 (string index)

    private static final int MAPPING_ID = 1;                 // uint64
    private static final int MAPPING_MEMORY_START = 2;       // uint64
    private static final int MAPPING_MEMORY_LIMIT = 3;       // uint64
    private static final int MAPPING_FILENAME = 5;           // int64 (string index)
    private static final int MAPPING_HAS_FUNCTIONS = 7;      // bool
    private static final int MAPPING_HAS_FILENAMES = 8;      // bool
    private static final int MAPPING_HAS_LINE_NUMBERS = 9;   // bool

    private static final int LOCATION_ID = 1;                // uint64
    private static final int LOCATION_MAPPING_ID = 2;        // uint64
    private static final int LOCATION_ADDRESS = 3;           // uint64
    private static final int LOCATION_LINE = 4;              // repeated Line

    private static final int LINE_FUNCTION_ID = 1;           // uint64
    private static final int LINE_LINE = 2;                  // int64

    private static final int FUNCTION_ID = 1;                // uint64
    private static final int FUNCTION_NAME = 2;              // int64 (string index)
    private static final int FUNCTION_SYSTEM_NAME = 3;       // int64 (string index)
    private static final int FUNCTION_FILENAME = 4;          // int64 (string index)

    /** The one mapping every location belongs to; the name says where the code came from. */
    private static final String MAPPING_NAME = "java";

    private final ProtoWriter w = new ProtoWriter();
    private final Map<String, Integer> strings = new HashMap<>();
    private final List<String> stringTable = new ArrayList<>();
    private final Map<FunctionKey, Long> functions = new HashMap<>();
    private final Map<Frame, Long> locations = new HashMap<>();

    private record FunctionKey(String name, String systemName, String file) {}

    private ProfileEncoder() {
        stringIndex("");
    }

    /** Writes the profile gzipped to {@code out}; the stream is not closed. */
    public static void write(ProfileData profile, OutputStream out) throws IOException {
        GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024);
        gz.write(encode(profile));
        gz.finish();
    }

    /** Returns the profile as gzipped bytes. */
    public static byte[] toGzip(ProfileData profile) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(profile, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Returns the profile as uncompressed protobuf bytes. */
    public static byte[] encode(ProfileData profile) {
        return new ProfileEncoder().build(profile);
    }

    private byte[] build(ProfileData p) {
        for (ValueType t : p.sampleTypes()) valueType(PROFILE_SAMPLE_TYPE, t);

        List<Sample> samples = new ArrayList<>(p.samples());
        samples.sort(SAMPLE_ORDER);
        long[] ids = new long[64];
        for (Sample s : samples) {
            Frame[] stack = s.stack();
            if (ids.length < stack.length) ids = new long[stack.length];
            for (int i = 0; i < stack.length; i++) ids[i] = locationId(stack[i]);
            int start = w.startMessage();
            w.int64s(SAMPLE_LOCATION_ID, ids, stack.length);
            w.int64s(SAMPLE_VALUE, s.values(), s.values().length);
            for (Label l : s.labels()) label(l);
            w.endMessage(PROFILE_SAMPLE, start);
        }

        int mapping = w.startMessage();
        w.int64(MAPPING_ID, 1);
        w.int64Opt(MAPPING_MEMORY_START, AddressTable.BASE);
        w.int64Opt(MAPPING_MEMORY_LIMIT, AddressTable.LIMIT);
        w.int64Opt(MAPPING_FILENAME, stringIndex(MAPPING_NAME));
        w.boolOpt(MAPPING_HAS_FUNCTIONS, true);
        w.boolOpt(MAPPING_HAS_FILENAMES, true);
        w.boolOpt(MAPPING_HAS_LINE_NUMBERS, true);
        w.endMessage(PROFILE_MAPPING, mapping);

        // Locations and functions were numbered in first-use order above; write them in that order.
        List<Map.Entry<Frame, Long>> locs = new ArrayList<>(locations.entrySet());
        locs.sort(Map.Entry.comparingByValue());
        for (Map.Entry<Frame, Long> e : locs) {
            Frame f = e.getKey();
            int start = w.startMessage();
            w.int64(LOCATION_ID, e.getValue());
            w.int64(LOCATION_MAPPING_ID, 1);
            w.int64Opt(LOCATION_ADDRESS, AddressTable.addressOf(f));
            int line = w.startMessage();
            w.int64(LINE_FUNCTION_ID, functionId(f));
            w.int64Opt(LINE_LINE, f.line());
            w.endMessage(LOCATION_LINE, line);
            w.endMessage(PROFILE_LOCATION, start);
        }
        List<Map.Entry<FunctionKey, Long>> funcs = new ArrayList<>(functions.entrySet());
        funcs.sort(Map.Entry.comparingByValue());
        for (Map.Entry<FunctionKey, Long> e : funcs) {
            FunctionKey k = e.getKey();
            int start = w.startMessage();
            w.int64(FUNCTION_ID, e.getValue());
            w.int64Opt(FUNCTION_NAME, stringIndex(k.name()));
            w.int64Opt(FUNCTION_SYSTEM_NAME, stringIndex(k.systemName()));
            w.int64Opt(FUNCTION_FILENAME, stringIndex(k.file()));
            w.endMessage(PROFILE_FUNCTION, start);
        }

        w.int64Opt(PROFILE_TIME_NANOS, p.timeNanos());
        w.int64Opt(PROFILE_DURATION_NANOS, p.durationNanos());
        valueType(PROFILE_PERIOD_TYPE, p.periodType());
        w.int64Opt(PROFILE_PERIOD, p.period());
        for (String c : p.comments()) w.int64(PROFILE_COMMENT, stringIndex(c));
        if (p.defaultSampleType() != null) w.int64(PROFILE_DEFAULT_SAMPLE_TYPE, stringIndex(p.defaultSampleType()));

        // The string table goes last because every field above may have added to it.
        for (String s : stringTable) w.string(PROFILE_STRING_TABLE, s);
        return w.toByteArray();
    }

    private void valueType(int tag, ValueType t) {
        int start = w.startMessage();
        w.int64Opt(VALUE_TYPE_TYPE, stringIndex(t.type()));
        w.int64Opt(VALUE_TYPE_UNIT, stringIndex(t.unit()));
        w.endMessage(tag, start);
    }

    private void label(Label l) {
        int start = w.startMessage();
        w.int64Opt(LABEL_KEY, stringIndex(l.key()));
        if (l.isString()) {
            w.int64Opt(LABEL_STR, stringIndex(l.str()));
        } else {
            w.int64Opt(LABEL_NUM, l.num());
            if (l.unit() != null) w.int64Opt(LABEL_NUM_UNIT, stringIndex(l.unit()));
        }
        w.endMessage(SAMPLE_LABEL, start);
    }

    private long locationId(Frame f) {
        Long id = locations.get(f);
        if (id == null) {
            id = (long) locations.size() + 1;
            locations.put(f, id);
            functionId(f);
        }
        return id;
    }

    private long functionId(Frame f) {
        FunctionKey key = new FunctionKey(f.functionName(), f.systemName(), f.sourcePath() == null ? "" : f.sourcePath());
        Long id = functions.get(key);
        if (id == null) {
            id = (long) functions.size() + 1;
            functions.put(key, id);
        }
        return id;
    }

    private int stringIndex(String s) {
        Integer i = strings.get(s);
        if (i == null) {
            i = stringTable.size();
            strings.put(s, i);
            stringTable.add(s);
        }
        return i;
    }

    /** Orders samples by their stacks, root first, so equal inputs give equal bytes. */
    private static final Comparator<Sample> SAMPLE_ORDER = (a, b) -> {
        Frame[] x = a.stack();
        Frame[] y = b.stack();
        for (int i = x.length - 1, j = y.length - 1; i >= 0 && j >= 0; i--, j--) {
            int c = x[i].functionName().compareTo(y[j].functionName());
            if (c == 0) c = Integer.compare(x[i].line(), y[j].line());
            if (c != 0) return c;
        }
        return Integer.compare(x.length, y.length);
    };
}

package dev.diag.view;

import dev.diag.pprof.ProtoWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;

/**
 * Turns a pprof profile into the one speedscope should show: one sample type, and only the samples that carry a label
 * value, as {@code go tool pprof -sample_index=NAME -tagfocus=KEY=VALUE}. speedscope's pprof importer shows the
 * sample type named by {@code default_sample_type}, else the last one; the focused profile has exactly one sample
 * type and no default, so every reader of it shows that type. Samples whose chosen value is 0 are left out (they
 * belong to another sample type's picture: an allocation site has no CPU time). Everything else (locations,
 * functions, strings, times) is copied byte for byte, so the result is a valid pprof profile for any tool.
 *
 * <p>Serves both {@code /debug/pprof/ui/view/NAME} and {@code diag.jar view}; the HTTP endpoint's own profiles are
 * never rewritten.
 */
public final class ProfileFocus {
    private static final int SAMPLE_TYPE = 1;   // repeated ValueType
    private static final int SAMPLE = 2;        // repeated Sample
    private static final int STRING_TABLE = 6;  // repeated string
    private static final int DEFAULT_SAMPLE_TYPE = 14; // int64, a string index
    private static final int VALUE_TYPE_TYPE = 1;
    private static final int VALUE_TYPE_UNIT = 2;
    private static final int SAMPLE_LOCATION = 1;
    private static final int SAMPLE_VALUE = 2;
    private static final int SAMPLE_LABEL = 3;
    private static final int LABEL_KEY = 1;
    private static final int LABEL_STR = 2;

    /**
     * What a profile offers to focus on.
     *
     * @param sampleTypes  the sample types' names in the profile's order
     * @param units        their units
     * @param defaultIndex the type speedscope shows of the whole profile (its default, else the last)
     * @param labels       string labels: key → value → how many samples carry it, both sorted
     * @param numericKeys  keys of numeric labels (not offered: tagfocus takes string values)
     */
    public record Summary(List<String> sampleTypes, List<String> units, int defaultIndex,
                          Map<String, Map<String, Long>> labels, List<String> numericKeys) {
        public String defaultType() {
            return sampleTypes.isEmpty() ? "" : sampleTypes.get(defaultIndex);
        }
    }

    private final Parsed parsed;
    private final Summary summary;

    private ProfileFocus(Parsed parsed) {
        this.parsed = parsed;
        this.summary = summary(parsed);
    }

    /**
     * Reads {@code profile} (pprof, gzipped or not) once, for any number of {@link #focus} calls; throws
     * IllegalArgumentException if it is not a profile.
     */
    public static ProfileFocus of(byte[] profile) {
        return new ProfileFocus(parse(profile));
    }

    /** Returns what the profile offers. */
    public Summary summary() {
        return summary;
    }

    /** Returns what {@code profile} offers; throws IllegalArgumentException if it is not a profile. */
    public static Summary summarize(byte[] profile) {
        return of(profile).summary();
    }

    /** {@link #of} then {@link #focus}, for one choice. */
    public static Focused apply(byte[] profile, String sampleType, String tagfocus) {
        return of(profile).focus(sampleType, tagfocus);
    }

    private static Summary summary(Parsed p) {
        List<String> names = new ArrayList<>();
        List<String> units = new ArrayList<>();
        int defaultIndex = -1;
        for (ProtoFields.Field t : p.types) {
            long type = 0;
            long unit = 0;
            for (ProtoFields.Field f : ProtoFields.read(t)) {
                if (f.number() == VALUE_TYPE_TYPE && f.wire() == ProtoFields.VARINT) type = f.value();
                if (f.number() == VALUE_TYPE_UNIT && f.wire() == ProtoFields.VARINT) unit = f.value();
            }
            names.add(p.string(type));
            units.add(p.string(unit));
        }
        if (p.defaultType != 0) defaultIndex = names.indexOf(p.string(p.defaultType));
        if (defaultIndex < 0) defaultIndex = Math.max(0, names.size() - 1);
        Map<String, Map<String, Long>> labels = new TreeMap<>();
        TreeSet<String> numeric = new TreeSet<>();
        for (ProtoFields.Field s : p.samples) {
            for (ProtoFields.Field f : ProtoFields.read(s)) {
                if (f.number() != SAMPLE_LABEL || f.wire() != ProtoFields.LEN) continue;
                long[] kv = label(f);
                String key = p.string(kv[0]);
                if (kv[1] == 0) {
                    numeric.add(key);
                } else {
                    labels.computeIfAbsent(key, k -> new TreeMap<>()).merge(p.string(kv[1]), 1L, Long::sum);
                }
            }
        }
        numeric.removeAll(labels.keySet());
        return new Summary(List.copyOf(names), List.copyOf(units), defaultIndex,
                Collections.unmodifiableMap(labels), List.copyOf(numeric));
    }

    /**
     * Returns why {@code sampleType} and {@code tagfocus} ({@code KEY=VALUE}; either may be null or empty for the
     * default type and no focus) cannot be shown of the profile {@code s} describes, naming what can; null when they
     * can.
     */
    public static String problem(Summary s, String sampleType, String tagfocus) {
        if (sampleType != null && !sampleType.isEmpty() && !s.sampleTypes().contains(sampleType)) {
            return "unknown sample_type \"" + sampleType + "\": this profile has " + String.join(", ", s.sampleTypes());
        }
        if (tagfocus == null || tagfocus.isEmpty()) return null;
        int eq = tagfocus.indexOf('=');
        String known = s.labels().isEmpty() ? "this profile has no string labels"
                : "this profile's labels: " + String.join(", ", s.labels().keySet());
        if (eq <= 0) return "tagfocus must be KEY=VALUE, not \"" + tagfocus + "\" (" + known + ")";
        String key = tagfocus.substring(0, eq);
        String value = tagfocus.substring(eq + 1);
        Map<String, Long> values = s.labels().get(key);
        if (values == null) {
            return "no label \"" + key + "\" in this profile" + (s.numericKeys().contains(key)
                    ? " with string values (tagfocus takes string labels)" : "") + "; " + known;
        }
        if (!values.containsKey(value)) {
            return "no sample has label " + key + "=" + value + "; " + key + "'s values: "
                    + String.join(", ", values.keySet());
        }
        return null;
    }

    /** A focused profile, gzipped, and how many samples it kept (0: nothing to show). */
    public record Focused(byte[] profile, int samples) {}

    /**
     * Returns the profile with only {@code sampleType} (null or empty: the one speedscope would show) and, when
     * {@code tagfocus} is {@code KEY=VALUE}, only the samples with that label, gzipped. Throws
     * IllegalArgumentException with {@link #problem}'s message when the choice does not fit the profile.
     */
    public Focused focus(String sampleType, String tagfocus) {
        Parsed p = parsed;
        Summary s = summary;
        String why = problem(s, sampleType, tagfocus);
        if (why != null) throw new IllegalArgumentException(why);
        int chosen = sampleType == null || sampleType.isEmpty() ? s.defaultIndex()
                : s.sampleTypes().indexOf(sampleType);
        String key = null;
        String value = null;
        if (tagfocus != null && !tagfocus.isEmpty()) {
            key = tagfocus.substring(0, tagfocus.indexOf('='));
            value = tagfocus.substring(tagfocus.indexOf('=') + 1);
        }
        ProtoWriter w = new ProtoWriter();
        int type = 0;
        int kept = 0;
        for (ProtoFields.Field f : p.fields) {
            switch (f.number()) {
                case SAMPLE_TYPE:
                    if (type++ == chosen) copy(w, f);
                    break;
                case SAMPLE:
                    if (focusSample(w, p, f, chosen, key, value)) kept++;
                    break;
                case DEFAULT_SAMPLE_TYPE:
                    break; // one type is left, and it is the one to show
                default:
                    copy(w, f);
            }
        }
        return new Focused(gzip(w.toByteArray()), kept);
    }

    private static boolean focusSample(ProtoWriter w, Parsed p, ProtoFields.Field sample, int chosen, String key,
                                    String value) {
        List<ProtoFields.Field> fields = ProtoFields.read(sample);
        List<Long> values = new ArrayList<>();
        boolean matches = key == null;
        for (ProtoFields.Field f : fields) {
            if (f.number() == SAMPLE_VALUE) f.addVarints(values);
            if (!matches && f.number() == SAMPLE_LABEL && f.wire() == ProtoFields.LEN) {
                long[] kv = label(f);
                matches = kv[1] != 0 && key.equals(p.string(kv[0])) && value.equals(p.string(kv[1]));
            }
        }
        if (!matches || chosen >= values.size() || values.get(chosen) == 0) return false;
        int start = w.startMessage();
        for (ProtoFields.Field f : fields) {
            if (f.number() == SAMPLE_LOCATION || f.number() == SAMPLE_LABEL) copy(w, f);
        }
        w.int64s(SAMPLE_VALUE, new long[] {values.get(chosen)}, 1);
        w.endMessage(SAMPLE, start);
        return true;
    }

    /** Returns a label's key and string value indexes (value 0: a numeric label). */
    private static long[] label(ProtoFields.Field f) {
        long[] kv = new long[2];
        for (ProtoFields.Field l : ProtoFields.read(f)) {
            if (l.wire() != ProtoFields.VARINT) continue;
            if (l.number() == LABEL_KEY) kv[0] = l.value();
            if (l.number() == LABEL_STR) kv[1] = l.value();
        }
        return kv;
    }

    private static void copy(ProtoWriter w, ProtoFields.Field f) {
        if (f.wire() == ProtoFields.VARINT) w.int64(f.number(), f.value());
        else if (f.wire() == ProtoFields.LEN) w.bytes(f.number(), f.bytes());
        else throw new IllegalArgumentException("not a pprof profile (field " + f.number() + " is fixed-size)");
    }

    /** A profile's top-level fields, its string table, sample types, samples and default type's string index. */
    private static final class Parsed {
        final List<ProtoFields.Field> fields;
        final List<String> strings = new ArrayList<>();
        final List<ProtoFields.Field> types = new ArrayList<>();
        final List<ProtoFields.Field> samples = new ArrayList<>();
        long defaultType;

        Parsed(List<ProtoFields.Field> fields) {
            this.fields = fields;
            for (ProtoFields.Field f : fields) {
                if (f.number() == STRING_TABLE && f.wire() == ProtoFields.LEN) {
                    strings.add(new String(f.buf(), f.start(), f.end() - f.start(),
                            java.nio.charset.StandardCharsets.UTF_8));
                } else if (f.number() == SAMPLE_TYPE && f.wire() == ProtoFields.LEN) {
                    types.add(f);
                } else if (f.number() == SAMPLE && f.wire() == ProtoFields.LEN) {
                    samples.add(f);
                } else if (f.number() == DEFAULT_SAMPLE_TYPE && f.wire() == ProtoFields.VARINT) {
                    defaultType = f.value();
                }
            }
        }

        /** A string by index; an index out of the table reads as "" rather than failing the whole view. */
        String string(long i) {
            return i >= 0 && i < strings.size() ? strings.get((int) i) : "";
        }
    }

    private static Parsed parse(byte[] profile) {
        String problem = PprofFile.problem(profile);
        if (problem != null) throw new IllegalArgumentException("not a pprof profile: " + problem);
        try {
            return new Parsed(ProtoFields.read(PprofFile.unzipped(profile)));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a pprof profile: " + e.getMessage());
        }
    }

    private static byte[] gzip(byte[] proto) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(proto.length / 3 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(proto);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return out.toByteArray();
    }
}

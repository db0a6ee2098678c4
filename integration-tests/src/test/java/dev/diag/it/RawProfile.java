package dev.diag.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A profile as {@code go tool pprof -raw} prints it: header fields, sample types, samples (values and the function
 * names of their stacks, leaf first, inlined frames expanded), locations.
 */
public final class RawProfile {
    /** One sample: values in sample-type order; stack as function names, leaf first; labels as printed. */
    public record Sample(long[] values, List<String> stack, String labels) {
        public boolean hasFrame(String functionSubstring) {
            return stack.stream().anyMatch(f -> f.contains(functionSubstring));
        }
    }

    public final Map<String, String> header = new HashMap<>();
    public final List<String> sampleTypes = new ArrayList<>();
    public final List<Sample> samples = new ArrayList<>();
    /** location id to function names of that location (more than one when inlined). */
    public final Map<Long, List<String>> locations = new HashMap<>();
    public final String text;

    private RawProfile(String text) {
        this.text = text;
    }

    public static RawProfile parse(String text) {
        RawProfile p = new RawProfile(text);
        String section = "header";
        List<long[]> valueRows = new ArrayList<>();
        List<long[]> locRows = new ArrayList<>();
        List<String> labelRows = new ArrayList<>();
        long currentLoc = -1;
        for (String line : text.split("\n")) {
            if (line.equals("Samples:")) { section = "types"; continue; }
            if (line.equals("Locations")) { section = "locations"; continue; }
            if (line.equals("Mappings")) { section = "mappings"; continue; }
            switch (section) {
                case "header": {
                    int c = line.indexOf(':');
                    if (c > 0) p.header.put(line.substring(0, c).trim(), line.substring(c + 1).trim());
                    break;
                }
                case "types":
                    for (String t : line.trim().split("\\s+")) {
                        if (!t.isEmpty()) p.sampleTypes.add(t.replace("[dflt]", ""));
                    }
                    section = "samples";
                    break;
                case "samples": {
                    String t = line.trim();
                    if (t.isEmpty()) break;
                    int colon = t.indexOf(':');
                    if (colon < 0 || !Character.isDigit(t.charAt(0)) && t.charAt(0) != '-') {
                        // A label line belongs to the sample above.
                        if (!labelRows.isEmpty()) {
                            int last = labelRows.size() - 1;
                            labelRows.set(last, labelRows.get(last) + " " + t);
                        }
                        break;
                    }
                    String[] vals = t.substring(0, colon).trim().split("\\s+");
                    long[] v = new long[vals.length];
                    for (int i = 0; i < vals.length; i++) v[i] = Long.parseLong(vals[i]);
                    String rest = t.substring(colon + 1).trim();
                    String[] ids = rest.isEmpty() ? new String[0] : rest.split("\\s+");
                    long[] locs = new long[ids.length];
                    for (int i = 0; i < ids.length; i++) locs[i] = Long.parseLong(ids[i]);
                    valueRows.add(v);
                    locRows.add(locs);
                    labelRows.add("");
                    break;
                }
                case "locations": {
                    String t = line.trim();
                    if (t.isEmpty()) break;
                    String name;
                    int colon = t.indexOf(':');
                    if (colon > 0 && t.substring(0, colon).matches("\\d+")) {
                        currentLoc = Long.parseLong(t.substring(0, colon));
                        String[] parts = t.substring(colon + 1).trim().split("\\s+");
                        // "0x400010 M=1 java.lang.Thread.start Thread.java:799 s=0(...)"
                        name = parts.length > 2 ? parts[2] : "";
                    } else {
                        // An inlined frame line: "java.lang.Foo.bar Foo.java:12 s=0(...)"
                        name = t.split("\\s+")[0];
                    }
                    p.locations.computeIfAbsent(currentLoc, k -> new ArrayList<>()).add(name);
                    break;
                }
                default:
                    break;
            }
        }
        for (int i = 0; i < valueRows.size(); i++) {
            List<String> stack = new ArrayList<>();
            for (long id : locRows.get(i)) stack.addAll(p.locations.getOrDefault(id, List.of("?" + id)));
            p.samples.add(new Sample(valueRows.get(i), stack, labelRows.get(i)));
        }
        return p;
    }

    /** Returns the index of a sample type such as {@code cpu/nanoseconds}. */
    public int typeIndex(String typeAndUnit) {
        int i = sampleTypes.indexOf(typeAndUnit);
        if (i < 0) throw new AssertionError("no sample type " + typeAndUnit + " in " + sampleTypes);
        return i;
    }

    /** Returns the total of one sample type over samples whose stack satisfies {@code filter}. */
    public long sum(String typeAndUnit, Predicate<Sample> filter) {
        int i = typeIndex(typeAndUnit);
        long total = 0;
        for (Sample s : samples) {
            if (filter.test(s)) total += s.values()[i];
        }
        return total;
    }

    /** Returns the total of one sample type over every sample. */
    public long total(String typeAndUnit) {
        return sum(typeAndUnit, s -> true);
    }
}

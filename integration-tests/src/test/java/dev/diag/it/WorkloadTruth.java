package dev.diag.it;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what a workload measured of itself: its {@code truth name=value name=value...} line on stdout. */
final class WorkloadTruth {
    private static final Pattern PAIR = Pattern.compile("(\\w+)=([0-9.]+)");

    private WorkloadTruth() {}

    /** Returns the values of the first {@code truth } line of {@code stdout}; fails the test when there is none. */
    static Map<String, Double> of(String stdout) {
        String line = stdout.lines().filter(l -> l.startsWith("truth ")).findFirst()
                .orElseThrow(() -> new AssertionError("no truth line in:\n" + stdout));
        Map<String, Double> m = new TreeMap<>();
        Matcher x = PAIR.matcher(line);
        while (x.find()) m.put(x.group(1), Double.parseDouble(x.group(2)));
        return m;
    }
}

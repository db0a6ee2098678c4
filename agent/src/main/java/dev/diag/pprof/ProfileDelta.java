package dev.diag.pprof;

import dev.diag.stack.StackKey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The difference of two snapshots of one cumulative profile, as Go's {@code /debug/pprof/NAME?seconds=N} computes it
 * (the later profile merged with the earlier one scaled by −1): what happened between the two.
 */
public final class ProfileDelta {
    private ProfileDelta() {}

    /**
     * Returns {@code after − before}, sample by sample (same stack and labels), without samples whose values are all
     * zero. The result's time is {@code before}'s and its duration the time between the snapshots.
     */
    public static ProfileData between(ProfileData before, ProfileData after) {
        Map<Key, long[]> values = new HashMap<>();
        Map<Key, Sample> firstSeen = new HashMap<>();
        accumulate(after, 1, values, firstSeen);
        accumulate(before, -1, values, firstSeen);
        List<Sample> samples = new ArrayList<>();
        values.forEach((key, v) -> {
            if (!allZero(v)) {
                Sample s = firstSeen.get(key);
                samples.add(new Sample(s.stack(), v, s.labels()));
            }
        });
        long duration = Math.max(0, after.timeNanos() - before.timeNanos());
        return after.withSamples(samples, before.timeNanos(), duration);
    }

    private record Key(StackKey stack, List<Label> labels) {}

    private static void accumulate(ProfileData p, int sign, Map<Key, long[]> values, Map<Key, Sample> firstSeen) {
        int n = p.sampleTypes().size();
        for (Sample s : p.samples()) {
            Key key = new Key(new StackKey(s.stack()), s.labels());
            firstSeen.putIfAbsent(key, s);
            long[] v = values.computeIfAbsent(key, k -> new long[n]);
            for (int i = 0; i < n && i < s.values().length; i++) v[i] += sign * s.values()[i];
        }
    }

    private static boolean allZero(long[] v) {
        for (long x : v) {
            if (x != 0) return false;
        }
        return true;
    }
}

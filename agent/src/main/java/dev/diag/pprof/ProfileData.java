package dev.diag.pprof;

import java.util.List;

/**
 * A profile ready to encode: what Go's {@code profile.Profile} holds before it is written, with Java frames.
 *
 * @param sampleTypes       one per value in every sample, in order
 * @param defaultSampleType the type name pprof shows first, or null for the last one (Go's default)
 * @param periodType        what {@code period} counts
 * @param period            sampling period in {@code periodType} units
 * @param timeNanos         when the profile was taken (or its window began), Unix nanoseconds
 * @param durationNanos     window length for windowed profiles (cpu, deltas), else 0
 * @param samples           the samples; the encoder orders them so that output is deterministic
 * @param comments          free-form notes shown by {@code go tool pprof -comments}
 */
public record ProfileData(List<ValueType> sampleTypes, String defaultSampleType, ValueType periodType, long period,
                          long timeNanos, long durationNanos, List<Sample> samples, List<String> comments) {

    /** Returns a copy with other samples and window (for deltas and merges). */
    public ProfileData withSamples(List<Sample> newSamples, long newTimeNanos, long newDurationNanos) {
        return new ProfileData(sampleTypes, defaultSampleType, periodType, period, newTimeNanos, newDurationNanos,
                newSamples, comments);
    }

    /** Returns the index of a sample type by name, or -1. */
    public int indexOf(String sampleType) {
        for (int i = 0; i < sampleTypes.size(); i++) {
            if (sampleTypes.get(i).type().equals(sampleType)) return i;
        }
        return -1;
    }
}

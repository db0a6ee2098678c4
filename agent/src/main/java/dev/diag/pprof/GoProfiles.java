package dev.diag.pprof;

import java.util.List;

/**
 * Sample and period types of each built-in profile, spelled exactly as Go's {@code runtime/pprof} writes them.
 */
public final class GoProfiles {
    private GoProfiles() {}

    public static final String CPU = "cpu";
    public static final String HEAP = "heap";
    public static final String ALLOCS = "allocs";
    public static final String GOROUTINE = "goroutine";
    public static final String THREADCREATE = "threadcreate";
    public static final String BLOCK = "block";
    public static final String MUTEX = "mutex";

    public static final List<ValueType> CPU_TYPES =
            List.of(new ValueType("samples", "count"), new ValueType("cpu", "nanoseconds"));
    public static final ValueType CPU_PERIOD_TYPE = new ValueType("cpu", "nanoseconds");

    public static final List<ValueType> MEMORY_TYPES = List.of(
            new ValueType("alloc_objects", "count"), new ValueType("alloc_space", "bytes"),
            new ValueType("inuse_objects", "count"), new ValueType("inuse_space", "bytes"));
    public static final ValueType MEMORY_PERIOD_TYPE = new ValueType("space", "bytes");
    /** allocs defaults to alloc_space; heap leaves the default (Go: the last type, inuse_space). */
    public static final String ALLOCS_DEFAULT_SAMPLE_TYPE = "alloc_space";

    public static final List<ValueType> GOROUTINE_TYPES = List.of(new ValueType("goroutine", "count"));
    public static final List<ValueType> THREADCREATE_TYPES = List.of(new ValueType("threadcreate", "count"));
    /** goroutine and threadcreate: period type as the sample type, period 1. */
    public static ValueType countPeriodType(String name) {
        return new ValueType(name, "count");
    }

    public static final List<ValueType> CONTENTION_TYPES =
            List.of(new ValueType("contentions", "count"), new ValueType("delay", "nanoseconds"));
    public static final ValueType CONTENTION_PERIOD_TYPE = new ValueType("contentions", "count");
}

package dev.diag.pprof;

/** A pprof sample or period type: {@code cpu/nanoseconds}, {@code alloc_space/bytes}. */
public record ValueType(String type, String unit) {}

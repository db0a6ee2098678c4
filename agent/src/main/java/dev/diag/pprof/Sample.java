package dev.diag.pprof;

import dev.diag.stack.Frame;

import java.util.List;

/**
 * One pprof sample: a stack (leaf first), one value per sample type, and labels.
 */
public record Sample(Frame[] stack, long[] values, List<Label> labels) {
    public Sample(Frame[] stack, long[] values) {
        this(stack, values, List.of());
    }
}

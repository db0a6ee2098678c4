package dev.diag.stack;

import java.util.Arrays;

/** A stack as a map key: frames leaf first, compared by value. */
public final class StackKey {
    private final Frame[] frames;
    private final int hash;

    public StackKey(Frame[] frames) {
        this.frames = frames;
        this.hash = Arrays.hashCode(frames);
    }

    /** Returns the frames, leaf first. Callers must not modify the array. */
    public Frame[] frames() { return frames; }

    @Override
    public boolean equals(Object o) {
        return o instanceof StackKey && ((StackKey) o).hash == hash && Arrays.equals(((StackKey) o).frames, frames);
    }

    @Override
    public int hashCode() { return hash; }
}

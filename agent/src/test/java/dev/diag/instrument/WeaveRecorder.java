package dev.diag.instrument;

import java.util.ArrayList;
import java.util.List;

/** The hooks the test injections call: records what they were given. */
public final class WeaveRecorder {
    public static final List<String> EVENTS = new ArrayList<>();
    private static int nextSlot = 41;

    private WeaveRecorder() {}

    public static int enter(Object blocker) {
        EVENTS.add("enter " + blocker);
        return ++nextSlot;
    }

    public static long start() {
        return 1234567890123L;
    }

    public static void exit(long start, int slot, Object blocker) {
        EVENTS.add("exit " + start + " " + slot + " " + blocker);
    }
}

package dev.diag.trace;

import dev.diag.stack.Frame;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The wire layer of Go's execution-trace format 1.19 ({@code go 1.19 trace}, what Go 1.19's {@code go tool trace}
 * reads): uvarints, event records with the argument-count bits and length prefix, and the string, stack and frequency
 * dictionaries. Meaning and ordering of events live in {@link GoTraceEncoder}.
 */
final class GoTraceWriter {
    static final byte[] HEADER = "go 1.19 trace\0\0\0".getBytes(StandardCharsets.US_ASCII);

    static final int EV_BATCH = 1;            // [p, ticks]
    static final int EV_FREQUENCY = 2;        // [ticks per second]
    static final int EV_STACK = 3;            // [id, n, n x {pc, fn, file, line}]
    static final int EV_GOMAXPROCS = 4;       // [dt, procs, stack]
    static final int EV_GC_START = 7;         // [dt, seq, stack]
    static final int EV_GC_DONE = 8;          // [dt]
    static final int EV_GC_STW_START = 9;     // [dt, kind]
    static final int EV_GC_STW_DONE = 10;     // [dt]
    static final int EV_GO_CREATE = 13;       // [dt, g, start stack, stack]
    static final int EV_GO_START = 14;        // [dt, g, seq]
    static final int EV_GO_END = 15;          // [dt]
    static final int EV_GO_SCHED = 17;        // [dt, stack]
    static final int EV_GO_SLEEP = 19;        // [dt, stack]
    static final int EV_GO_BLOCK = 20;        // [dt, stack]
    static final int EV_GO_UNBLOCK = 21;      // [dt, g, seq, stack]
    static final int EV_GO_BLOCK_SEND = 22;   // [dt, stack]
    static final int EV_GO_BLOCK_RECV = 23;   // [dt, stack]
    static final int EV_GO_BLOCK_SYNC = 25;   // [dt, stack]
    static final int EV_GO_BLOCK_COND = 26;   // [dt, stack]
    static final int EV_HEAP_ALLOC = 33;      // [dt, bytes]
    static final int EV_STRING = 37;          // id, len, bytes
    static final int EV_USER_TASK_CREATE = 45; // [dt, task, parent, name, stack]
    static final int EV_USER_TASK_END = 46;   // [dt, task, stack]
    static final int EV_USER_REGION = 47;     // [dt, task, mode, name, stack]
    static final int EV_USER_LOG = 48;        // [dt, task, key, stack] + value
    static final int EV_CPU_SAMPLE = 49;      // [dt, ticks, p, g, stack]

    private final Map<String, Long> strings = new HashMap<>();
    private final Map<List<Frame>, Long> stacks = new HashMap<>();
    private final Map<Object, Long> pcs = new HashMap<>();
    private final Map<String, Long> entryStacks = new HashMap<>();
    private final ByteArrayOutputStream dictionary = new ByteArrayOutputStream();

    /** Returns the id of {@code s}, defining it on first use; "" is id 0 and never defined. */
    long string(String s) {
        if (s == null || s.isEmpty()) return 0;
        Long id = strings.get(s);
        if (id != null) return id;
        long nid = strings.size() + 1;
        strings.put(s, nid);
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 1_000_000) b = Arrays.copyOf(b, 1_000_000);
        dictionary.write(EV_STRING);
        uvarint(dictionary, nid);
        uvarint(dictionary, b.length);
        dictionary.write(b, 0, b.length);
        return nid;
    }

    /** Returns the id of a stack (leaf first, at most 1000 frames), defining it on first use; empty is 0. */
    long stack(Frame[] frames) {
        if (frames == null || frames.length == 0) return 0;
        List<Frame> key = List.of(frames.length > 1000 ? Arrays.copyOf(frames, 1000) : frames);
        Long id = stacks.get(key);
        if (id != null) return id;
        long nid = stacks.size() + entryStacks.size() + 1;
        stacks.put(key, nid);
        long[] values = new long[2 + 4 * key.size()];
        values[0] = nid;
        values[1] = key.size();
        int i = 2;
        for (Frame f : key) {
            values[i++] = pcs.computeIfAbsent(f, k -> 0x400000L + 0x10L * pcs.size());
            values[i++] = string(f.functionName());
            values[i++] = string(f.sourcePath() == null ? "" : f.sourcePath());
            values[i++] = f.line();
        }
        event(dictionary, EV_STACK, values, null);
        return nid;
    }

    /**
     * Returns the id of a one-frame stack whose function is {@code function}: a goroutine's start stack, which names
     * it in every view of {@code go tool trace}.
     */
    long entryStack(String function) {
        Long id = entryStacks.get(function);
        if (id != null) return id;
        long nid = stacks.size() + entryStacks.size() + 1;
        entryStacks.put(function, nid);
        long pc = pcs.computeIfAbsent(function, k -> 0x400000L + 0x10L * pcs.size());
        event(dictionary, EV_STACK, new long[] {nid, 1, pc, string(function), string("thread"), 0}, null);
        return nid;
    }

    /** Returns the strings, stacks and frequency record, written after the batches. */
    byte[] dictionaryAndFrequency() {
        event(dictionary, EV_FREQUENCY, new long[] {1_000_000_000L}, null);
        return dictionary.toByteArray();
    }

    /**
     * Writes one event: 1..3 values inline with (count-1) in the type byte's top bits, more with a length prefix;
     * {@code trailing} (UserLog's value) follows, length-prefixed, outside the counted length.
     */
    static void event(ByteArrayOutputStream out, int type, long[] values, byte[] trailing) {
        int n = values.length;
        if (n <= 3) {
            out.write(type | ((n - 1) << 6));
            for (long v : values) uvarint(out, v);
        } else {
            ByteArrayOutputStream body = new ByteArrayOutputStream(n * 3);
            for (long v : values) uvarint(body, v);
            out.write(type | (3 << 6));
            uvarint(out, body.size());
            out.write(body.toByteArray(), 0, body.size());
        }
        if (trailing != null) {
            uvarint(out, trailing.length);
            out.write(trailing, 0, trailing.length);
        }
    }

    static void uvarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}

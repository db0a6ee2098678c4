package dev.diag.trace;

import dev.diag.ring.RecordType;
import dev.diag.stack.Frame;
import dev.diag.trace.Timeline.BlockKind;

import java.util.Arrays;

/**
 * Names why a thread waits, as Go names why a goroutine blocks (sync, cond, chan receive/send, sleep), from what the
 * hooks and thread dumps give: the wait site's stack and whether the blocker is a {@code Condition}.
 */
final class BlockKinds {
    private BlockKinds() {}

    /**
     * Classifies a park from its wait site (leaf first, trimmed so that the top is the {@code java.util.concurrent}
     * method the app called) and the ring record's hints ({@link RecordType#HINT_CONDITION}).
     */
    static BlockKind ofPark(Frame[] stack, long hints) {
        BlockKind queue = queueKind(stack);
        if (queue != null) return queue;
        if ((hints & RecordType.HINT_CONDITION) != 0) return BlockKind.COND;
        return ofTop(stack);
    }

    /** Classifies the wait of a thread seen in a thread dump (a full stack, JDK park machinery on top). */
    static BlockKind ofThreadDump(Thread.State state, Frame[] stack) {
        if (state == Thread.State.BLOCKED) return BlockKind.SYNC;
        for (int i = 0; i < Math.min(stack.length, 6); i++) {
            Frame f = stack[i];
            if (f.className().equals("java.lang.Object") && f.methodName().startsWith("wait")) return BlockKind.COND;
            if (f.className().equals("java.lang.Thread") && f.methodName().startsWith("sleep")) return BlockKind.SLEEP;
            if (f.methodName().equals("await")) return BlockKind.COND;
        }
        Frame[] trimmed = trimLockFrames(stack);
        BlockKind queue = queueKind(trimmed);
        return queue != null ? queue : ofTop(trimmed);
    }

    private static BlockKind queueKind(Frame[] stack) {
        for (int i = 0; i < Math.min(stack.length, 4); i++) {
            String c = stack[i].className();
            if (c.endsWith("BlockingQueue") || c.endsWith("BlockingDeque") || c.endsWith("TransferQueue")
                    || c.endsWith("SynchronousQueue")) {
                String m = stack[i].methodName();
                if (m.startsWith("take") || m.startsWith("poll")) return BlockKind.RECV;
                if (m.startsWith("put") || m.startsWith("offer") || m.startsWith("transfer")) return BlockKind.SEND;
            }
        }
        return null;
    }

    /** Classifies by the top frame: a lock acquire, a latch/barrier/future wait, or any other park. */
    private static BlockKind ofTop(Frame[] stack) {
        if (stack.length == 0) return BlockKind.PARK;
        String c = stack[0].className();
        String m = stack[0].methodName();
        if (!c.startsWith("java.util.concurrent.")) return BlockKind.PARK;
        if (c.endsWith("Lock") || c.contains("Lock$") || c.endsWith("Semaphore") || m.contains("ock")
                || m.startsWith("acquire")) {
            return BlockKind.SYNC;
        }
        if (c.endsWith("CountDownLatch") || c.endsWith("CyclicBarrier") || c.endsWith("Phaser")
                || c.contains("Future") || c.endsWith("Exchanger") || c.endsWith("ForkJoinTask")) {
            return BlockKind.COND;
        }
        return BlockKind.PARK;
    }

    /** Drops the JDK's park machinery from the top of a thread-dump stack, so it starts at the method the app called. */
    static Frame[] trimLockFrames(Frame[] stack) {
        int i = 0;
        while (i < stack.length - 1) {
            String c = stack[i].className();
            boolean machinery = c.equals("jdk.internal.misc.Unsafe") || c.equals("sun.misc.Unsafe")
                    || c.equals("java.util.concurrent.locks.LockSupport")
                    || c.startsWith("java.util.concurrent.locks.AbstractQueued")
                    || (c.startsWith("java.util.concurrent.locks.") && c.indexOf('$') > 0);
            if (!machinery) break;
            i++;
        }
        return i == 0 ? stack : Arrays.copyOfRange(stack, i, stack.length);
    }
}

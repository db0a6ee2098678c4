package dev.diag.heap;

import dev.diag.base.Log;
import dev.diag.jfr.EventRequest;
import dev.diag.jfr.JfrSession;
import dev.diag.jfr.JfrStacks;
import dev.diag.stack.Frame;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedObject;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Lists the sampled objects that are still alive, for Go's {@code inuse_objects}/{@code inuse_space}: JFR's
 * old-object sampler ({@code jdk.OldObjectSample}).
 *
 * <p>How it works: while the shared stream has {@code jdk.OldObjectSample} enabled, the JVM samples allocations and
 * keeps at most {@code old-object-queue-size} (256 by default) of them, weakly: a sample whose object the GC frees
 * is dropped. JFR writes these events only when a recording that enables them stops, into the repository the stream
 * reads. So a snapshot starts and stops a tiny recording of its own and collects what the stream then delivers, up
 * to a catch-up marker ({@link JfrSession#awaitCatchUp}): tens of milliseconds, where reading the recording back
 * from a file took hundreds. At JVM exit JFR's shutdown hook stops the stream's recording, which emits them a last
 * time.
 *
 * <p>Precision: a snapshot holds at most 256 live samples for the whole heap, so a site needs roughly 1/256 of the
 * live heap to show up; what a sample stands for in bytes is estimated by the caller. The object size is known for
 * arrays (from the element count) and, on JDK 22+, for every object ({@code objectSize}).
 */
final class LiveObjectSampler {
    static final String OLD_OBJECT_SAMPLE = "jdk.OldObjectSample";
    /** How long the exit snapshot waits for JFR's shutdown hook to stop the stream and emit the live samples. */
    private static final Duration EXIT_WAIT = Duration.ofSeconds(3);
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(5);

    /** One live sampled object: its allocation stack and its size in bytes, or 0 when unknown. */
    record LiveObject(Frame[] stack, long size) {}

    private final JfrSession session;
    /** Serialises snapshots: each collects one emission. */
    private final Object snapshotLock = new Object();
    /** The snapshot collecting now, or null: then samples belong to an emission diag did not ask for (exit). */
    private volatile List<LiveObject> collecting;
    /** Samples delivered outside a snapshot since the last flush; the stream thread's alone. */
    private List<LiveObject> unclaimed = new ArrayList<>();
    /** The last emission nobody collected: at exit, the one JFR's shutdown hook made. */
    private volatile List<LiveObject> lastUnclaimed = List.of();

    LiveObjectSampler(JfrSession session) {
        this.session = session;
    }

    /** Turns the JVM's old-object sampler on; returns false when JFR cannot run. */
    boolean start() {
        return session.subscribe(request(), this::onSample) && session.onFlush(this::onFlush);
    }

    /**
     * Returns the live sampled objects now; during JVM shutdown, those JFR emitted when its shutdown hook stopped the
     * stream, after waiting for that (a recording started during shutdown would hang in the JVM, JDK 17).
     *
     * @throws IOException when the stream did not deliver the samples in time
     */
    List<LiveObject> snapshot() throws IOException {
        if (dev.diag.base.Lifecycle.exiting()) {
            try {
                if (!session.awaitClosed(EXIT_WAIT)) Log.debug("heap: JFR did not stop its recording in time");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<LiveObject> atExit = lastUnclaimed;
            if (atExit.isEmpty()) Log.debug("heap: JFR closed its stream before handing over the live samples");
            return atExit;
        }
        synchronized (snapshotLock) {
            List<LiveObject> out = new CopyOnWriteArrayList<>();
            collecting = out;
            try (Recording r = new Recording()) {
                r.setName("diag heap snapshot");
                r.enable(OLD_OBJECT_SAMPLE).withStackTrace().with("cutoff", "0 ns");
                r.start();
                r.stop(); // emits the live samples into the stream's repository
                if (!session.awaitCatchUp(CATCH_UP_TIMEOUT)) throw new IOException("JFR did not deliver in time");
                return List.copyOf(out);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            } finally {
                collecting = null;
            }
        }
    }

    private void onSample(RecordedEvent e) {
        Frame[] stack = JfrStacks.frames(e.getStackTrace());
        if (stack.length == 0) return;
        LiveObject o = new LiveObject(stack, size(e));
        List<LiveObject> c = collecting;
        if (c != null) c.add(o);
        else unclaimed.add(o);
    }

    /** Keeps only the latest unclaimed emission (one emission arrives within one flush), so memory stays bounded. */
    private void onFlush() {
        if (unclaimed.isEmpty()) return;
        lastUnclaimed = List.copyOf(unclaimed);
        unclaimed = new ArrayList<>();
    }

    private static EventRequest request() {
        return EventRequest.of(OLD_OBJECT_SAMPLE).withStackTrace().with("cutoff", "0 ns");
    }

    /** Returns the object's size: JFR's {@code objectSize} (JDK 22+), else computed for arrays, else 0. */
    static long size(RecordedEvent e) {
        if (e.hasField("objectSize")) return e.getLong("objectSize");
        int elements = e.hasField("arrayElements") ? e.getInt("arrayElements") : Integer.MIN_VALUE;
        RecordedObject object = e.getValue("object");
        RecordedClass type = object == null ? null : object.getValue("type");
        if (elements < 0 || type == null) return 0;
        return ArraySize.bytes(type.getName(), elements);
    }
}

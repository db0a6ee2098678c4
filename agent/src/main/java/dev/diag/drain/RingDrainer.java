package dev.diag.drain;

import dev.diag.base.DiagThreads;
import dev.diag.ring.RecordHandler;
import dev.diag.ring.RingRecord;
import dev.diag.ring.StripedRing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@code diag-drainer} thread: empties the hooks' event ring and hands every record to each subscriber (the block
 * and mutex tables, the execution tracer). One per agent, shared: a subscriber never drains the ring itself.
 *
 * <p>Drains without pausing while records keep coming. When the ring is empty it sleeps ({@code Thread.sleep}, which
 * diag does not count as blocking) {@value #IDLE_MILLIS} ms, and twice as long after each further empty look, up to
 * {@value #MAX_IDLE_MILLIS} ms: with no block, mutex or trace recording (the defaults) nothing comes, and a wake-up a
 * hundred times a second cost 0.6-1.4 % of a core on a busy 2-core machine. Only the first burst after a quiet spell
 * waits up to {@value #MAX_IDLE_MILLIS} ms, and it loses records only if one stripe's share of the ring (16,384 on 2
 * cores, 1,024 on 32+) fills in that time; the drops are counted ({@code ring.dropped}). Readers that need
 * everything up to now call {@link #drainNow()}. {@link #stop()} drains what is left, so the profiles written at exit
 * hold every event recorded before the hooks were turned off.
 */
public final class RingDrainer implements RecordHandler {
    static final int IDLE_MILLIS = 10;
    static final int MAX_IDLE_MILLIS = 80;
    private static final int BATCH = 4096;

    private final StripedRing ring;
    private final List<RecordHandler> subscribers = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private volatile long drained;
    private Thread thread;

    public RingDrainer(StripedRing ring) {
        this.ring = ring;
    }

    /**
     * Adds a consumer of every record (any type) drained from now on, called on the drainer thread (or the thread
     * that calls {@link #drainNow}) one record at a time; it must be quick. Its failures are ignored.
     */
    public void subscribe(RecordHandler handler) {
        subscribers.add(handler);
    }

    public synchronized void start() {
        if (thread != null) return;
        running = true;
        thread = DiagThreads.start("drainer", this::run);
    }

    private void run() {
        int idleMillis = IDLE_MILLIS;
        while (running) {
            if (drainOnce() > 0) {
                idleMillis = IDLE_MILLIS;
                continue;
            }
            try {
                Thread.sleep(idleMillis);
            } catch (InterruptedException e) {
                return;
            }
            idleMillis = Math.min(MAX_IDLE_MILLIS, idleMillis * 2);
        }
    }

    /** Drains one batch from every stripe; returns how many records. Drains are serialised. */
    private synchronized int drainOnce() {
        int n = ring.drain(this, BATCH);
        drained += n;
        return n;
    }

    /**
     * Drains on the calling thread until the ring is empty (bounded): every record offered before the call has then
     * been handed to the subscribers. Safe beside the drainer thread.
     */
    public void drainNow() {
        for (int i = 0; i < 1_000 && drainOnce() > 0; i++) {
            // Until the ring is empty; bounded in case a hook keeps producing.
        }
    }

    /** Stops the thread and drains whatever is left in the ring. */
    public void stop() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        drainNow();
    }

    /** Returns how many records were drained so far. */
    public long drained() {
        return drained;
    }

    @Override
    public void onRecord(RingRecord r) {
        for (RecordHandler h : subscribers) {
            try {
                h.onRecord(r);
            } catch (Throwable ignored) {
                // One subscriber's failure does not stop the others.
            }
        }
    }
}

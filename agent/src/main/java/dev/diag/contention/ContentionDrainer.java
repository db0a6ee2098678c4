package dev.diag.contention;

import dev.diag.agent.DiagThreads;
import dev.diag.ring.RecordHandler;
import dev.diag.ring.RecordType;
import dev.diag.ring.RingRecord;
import dev.diag.ring.StripedRing;
import dev.diag.stack.StackTable;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@code diag-drainer} thread: empties the event ring into the block and mutex tables, and hands every record to
 * the subscribers (the execution tracer) as well.
 *
 * <p>Polls every {@value #IDLE_MILLIS} ms when the ring is empty ({@code Thread.sleep}, which diag does not count as
 * blocking), and drains without pausing while records keep coming. {@link #stop()} drains what is left, so the
 * profiles written at exit hold every event recorded before the hooks were turned off.
 */
final class ContentionDrainer implements RecordHandler {
    static final int IDLE_MILLIS = 10;
    private static final int BATCH = 4096;

    private final StripedRing ring;
    private final StackTable stacks;
    private final ContentionTable block;
    private final ContentionTable mutex;
    private final List<RecordHandler> subscribers = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private volatile long drained;
    private volatile long blockRecords;
    private volatile long mutexRecords;
    private Thread thread;

    ContentionDrainer(StripedRing ring, StackTable stacks, ContentionTable block, ContentionTable mutex) {
        this.ring = ring;
        this.stacks = stacks;
        this.block = block;
        this.mutex = mutex;
    }

    /** Adds a consumer of every record (any type), called on the drainer thread; it must be quick. */
    void subscribe(RecordHandler handler) {
        subscribers.add(handler);
    }

    synchronized void start() {
        if (thread != null) return;
        running = true;
        thread = DiagThreads.start("drainer", this::run);
    }

    private void run() {
        while (running) {
            if (drainOnce() == 0) {
                try {
                    Thread.sleep(IDLE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Drains one batch from every stripe; returns how many records. Only the drainer thread (or stop) calls it. */
    private synchronized int drainOnce() {
        int n = ring.drain(this, BATCH);
        drained += n;
        return n;
    }

    /**
     * Drains on the calling thread until the ring is empty (bounded): every record offered before the call has then
     * been handed to the tables and subscribers. Safe beside the drainer thread (drains are serialised).
     */
    void drainNow() {
        for (int i = 0; i < 1_000 && drainOnce() > 0; i++) {
            // Until the ring is empty; bounded in case a hook keeps producing.
        }
    }

    /** Stops the thread and drains whatever is left in the ring. */
    void stop() throws InterruptedException {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            t.join(2_000);
        }
        drainNow();
    }

    /** Returns how many block records (sampled parks, each with its stack) were drained so far. */
    long blockRecords() {
        return blockRecords;
    }

    /** Returns how many mutex records (releases that charged a sampled waiter, each with its stack) so far. */
    long mutexRecords() {
        return mutexRecords;
    }

    /** Returns how many records were drained so far. */
    long drained() {
        return drained;
    }

    @Override
    public void onRecord(RingRecord r) {
        switch (r.type()) {
            case RecordType.BLOCK:
                addBlock(r);
                blockRecords++;
                break;
            case RecordType.MUTEX:
                if (stacks.stack(r.stackId()) != null) mutex.add(r.stackId(), null, r.extra1(), r.duration());
                mutexRecords++;
                break;
            default:
                break;
        }
        for (RecordHandler h : subscribers) {
            try {
                h.onRecord(r);
            } catch (Throwable ignored) {
                // One subscriber's failure does not stop the profiles.
            }
        }
    }

    private void addBlock(RingRecord r) {
        if (stacks.stack(r.stackId()) != null) block.addBlockEvent(r.stackId(), r.duration(), r.extra1());
    }
}

package dev.diag.labels;

import dev.diag.hook.LabelHook;
import dev.diag.hook.LabelSet;
import dev.diag.pprof.EpochNanos;
import dev.diag.pprof.Label;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which labels each thread had at the time of a sample read later with its own timestamp (the native sampler's, read
 * every few seconds), keyed by OS thread id, which native samples carry reliably.
 *
 * <p>A change is appended, with its time, to a log that only the changing thread writes: no lock, no shared counter,
 * no allocation but a new chunk every few hundred changes. The sampler's thread reads each thread's log up to the time
 * of that thread's sample ({@link #at}), and every log up to the newest sample once a batch is read
 * ({@link #catchUp}), which frees what it read.
 *
 * <p>Bounded: the logs hold at most {@value #MAX_QUEUED_CHANGES} changes (their label sets, whose values can be
 * unique, bound memory to about 20 MB); past that a change is dropped and counted in {@link #dropped()}, and at half
 * of it the sampler is asked to read its samples early. A log is taken from that budget a chunk at a time (8 changes,
 * doubling up to {@value #LARGEST_CHUNK}) and keeps its newest chunk while its thread lives. At most
 * {@value #MAX_THREADS} threads are followed; a log is forgotten once read to its end after its thread ended.
 *
 * <p>Virtual threads (JDK 21+): samples name the carrier's OS thread, whichever virtual thread it runs. So the log of
 * a carrier is the log of its OS thread: a virtual thread that mounts on it appends its labels there (when they differ
 * from the last ones written), and its label changes go there while it runs on it ({@link LabelHook#afterMount}). A
 * virtual thread whose carrier is not known yet (its first labels, before its next mount) writes a log of its own
 * under the OS thread it runs on, and its carrier's log gets the carrier's labels when it leaves: where one OS id has
 * several logs, the one with the newest change applies.
 */
public final class LabelTimeline implements LabelHook.MountListener {
    static final int MAX_QUEUED_CHANGES = 1 << 17;
    static final int MAX_THREADS = LabelHook.MAX_THREADS;
    /**
     * Most live logs under one OS thread id. Virtual threads are known by the carrier they first changed labels on,
     * so many can share one id, and a sample of that id reads each of their logs: past this many, a further virtual
     * thread's changes are dropped and counted, which bounds the reading cost of a sample.
     */
    static final int MAX_LOGS_PER_OS_THREAD = 64;
    /** A thread's first chunk is small (virtual threads are many), the next ones double up to the largest. */
    static final int FIRST_CHUNK = 8;
    static final int LARGEST_CHUNK = 64;
    /** {@code System.nanoTime()} to epoch nanoseconds, the samples' clock. */
    private static final long EPOCH_OFFSET = EpochNanos.now() - System.nanoTime();

    private final ThreadLocal<ChangeLog> own = new ThreadLocal<>();
    /** The logs of the current {@link #follow}; null while nothing follows. */
    private volatile Following following;
    private final AtomicLong dropped = new AtomicLong();
    private volatile Runnable readSoon;
    private int followers;

    /** Sets what the logs call when half full: a request to read the samples early (must not block). */
    public void whenFilling(Runnable readSamplesSoon) {
        this.readSoon = readSamplesSoon;
    }

    /**
     * Starts logging changes (while samples are taken: nothing reads the logs otherwise), from the labels every
     * thread has now.
     */
    public synchronized void follow() {
        if (followers++ > 0) return;
        Following f = new Following();
        for (long threadId : LabelHook.labelledThreads()) {
            long nativeId = LabelHook.nativeIdOf(threadId);
            List<Label> labels = ThreadLabels.toPprof(LabelHook.of(threadId));
            if (nativeId >= 0 && !labels.isEmpty()) f.seeds.put(nativeId, labels);
        }
        following = f;
        LabelChanges.toTimeline(this);
        LabelHook.setMountListener(this);
    }

    /** Stops logging and forgets the logs, once every {@link #follow} has its unfollow. */
    public synchronized void unfollow() {
        if (followers == 0 || --followers > 0) return;
        LabelChanges.toTimeline(null);
        LabelHook.setMountListener(null);
        Following f = following;
        following = null;
        if (f != null) f.forget();
    }

    /**
     * Returns the labels the thread with OS id {@code nativeId} had at {@code epochNanos}. Calls come from one thread
     * (the sampler's), in time order for each thread.
     */
    public List<Label> at(long nativeId, long epochNanos) {
        Following f = following;
        return f == null ? List.of() : f.at(nativeId, epochNanos);
    }

    /** Reads every log up to {@code epochNanos} (the newest sample read), so that logs do not grow between reads. */
    public void catchUp(long epochNanos) {
        Following f = following;
        if (f != null) f.catchUp(epochNanos);
    }

    /** Returns how many changes were dropped because the logs were full, or the followed threads too many. */
    public long dropped() {
        return dropped.get();
    }

    /**
     * On the changing thread: the log of the carrier a virtual thread runs on, else its own log, created at its first
     * change while followed.
     */
    void append(LabelSet set) {
        Following f = following;
        if (f == null) return;
        if (LabelHook.currentCarrier() instanceof ChangeLog carrier && carrier.following == f) {
            carrier.append(now(), set);
            return;
        }
        appendAs(LabelHook.currentNativeId(), set);
    }

    /** As {@link #append}, for a thread known by OS id {@code nativeId} (read once per thread, at its first change). */
    void appendAs(long nativeId, LabelSet set) {
        Following f = following;
        if (f == null) return;
        ownLog(f, nativeId).append(now(), set);
    }

    private ChangeLog ownLog(Following f, long nativeId) {
        ChangeLog log = own.get();
        if (log == null || log.following != f) {
            log = f.register(Thread.currentThread(), nativeId);
            own.set(log);
        }
        return log;
    }

    /** On a carrier, before a virtual thread mounts on it: the log of its OS thread, or null while nothing follows. */
    @Override
    public Object carrier() {
        Following f = following;
        return f == null ? null : carrierLog(f);
    }

    /** The calling carrier's own log; its OS id (a system call) is read only when the log is created. */
    private ChangeLog carrierLog(Following f) {
        ChangeLog log = own.get();
        return log != null && log.following == f ? log : ownLog(f, LabelHook.currentNativeId());
    }

    /** On the virtual thread that has just mounted on {@code carrier}'s OS thread. */
    @Override
    public void mounted(Object carrier, LabelSet labels) {
        ChangeLog log = (ChangeLog) carrier;
        if (log.following == following && log.written != labels) log.append(now(), labels);
    }

    /**
     * On a carrier that a virtual thread has just left. Its log keeps the labels it had until the next mount (the
     * carrier's own scheduling work between two mounts is counted with the thread before), unless they were not
     * written to it: then its own labels, so that its log is the newest again.
     */
    @Override
    public void unmounted(LabelSet leaving, LabelSet labels) {
        Following f = following;
        if (f == null) return;
        ChangeLog log = carrierLog(f);
        if (log.written != leaving) log.append(now(), labels);
    }

    /** Now on the samples' clock (epoch nanoseconds), as changes are stamped. */
    static long now() {
        return EPOCH_OFFSET + System.nanoTime();
    }

    /** One {@link #follow}: its logs, their budget, and what the sampler's thread has read of them. */
    private final class Following {
        /** Changes the logs may hold; taken a chunk at a time by writers, given back as chunks are read. */
        final AtomicLong free = new AtomicLong(MAX_QUEUED_CHANGES);
        final AtomicLong registered = new AtomicLong();
        final ConcurrentHashMap<Long, AtomicInteger> logsPerNativeId = new ConcurrentHashMap<>();
        final Queue<ChangeLog> newLogs = new ConcurrentLinkedQueue<>();
        /** The labels of threads labelled before this started, until their first change. */
        final Map<Long, List<Label>> seeds = new HashMap<>();
        /** Read by the sampler's thread only (under this object's lock). */
        final Map<Long, List<ChangeLog>> byNativeId = new HashMap<>();
        final List<ChangeLog> logs = new ArrayList<>();
        final ChangeLog full = new ChangeLog(this, null, -1);

        ChangeLog register(Thread thread, long nativeId) {
            if (nativeId < 0) return full;
            if (registered.incrementAndGet() > MAX_THREADS) {
                registered.decrementAndGet();
                return full;
            }
            AtomicInteger sharing = logsPerNativeId.computeIfAbsent(nativeId, k -> new AtomicInteger());
            if (sharing.incrementAndGet() > MAX_LOGS_PER_OS_THREAD) {
                sharing.decrementAndGet();
                registered.decrementAndGet();
                return full;
            }
            ChangeLog log = new ChangeLog(this, thread, nativeId);
            newLogs.add(log);
            return log;
        }

        boolean take(int changes) {
            long left = free.addAndGet(-changes);
            if (left >= 0) {
                Runnable r = readSoon;
                if (left < MAX_QUEUED_CHANGES / 2 && left + changes >= MAX_QUEUED_CHANGES / 2 && r != null) r.run();
                return true;
            }
            free.addAndGet(changes);
            return false;
        }

        void give(int changes) {
            free.addAndGet(changes);
        }

        synchronized List<Label> at(long nativeId, long epochNanos) {
            takeNewLogs();
            List<ChangeLog> mine = byNativeId.get(nativeId);
            long newest = Long.MIN_VALUE;
            ChangeLog newestLog = null;
            if (mine != null) {
                for (ChangeLog log : mine) {
                    log.readUntil(epochNanos);
                    // Threads that share an OS id (virtual threads on one carrier): the last to change wins.
                    if (log.readAny && log.lastTime >= newest) {
                        newest = log.lastTime;
                        newestLog = log;
                    }
                }
            }
            // Before its first change, a thread has the labels it had when this started.
            return newestLog != null ? newestLog.pprof() : seeds.getOrDefault(nativeId, List.of());
        }

        synchronized void catchUp(long epochNanos) {
            takeNewLogs();
            for (Iterator<ChangeLog> it = logs.iterator(); it.hasNext(); ) {
                ChangeLog log = it.next();
                log.readUntil(epochNanos);
                if (!log.thread.isAlive() && log.readToEnd()) {
                    it.remove();
                    List<ChangeLog> same = byNativeId.get(log.nativeId);
                    if (same != null && same.remove(log) && same.isEmpty()) byNativeId.remove(log.nativeId);
                    if (log.head != null) give(log.head.times.length);
                    registered.decrementAndGet();
                    AtomicInteger sharing = logsPerNativeId.get(log.nativeId);
                    if (sharing != null) sharing.decrementAndGet();
                }
            }
        }

        private void takeNewLogs() {
            for (ChangeLog log = newLogs.poll(); log != null; log = newLogs.poll()) {
                logs.add(log);
                byNativeId.computeIfAbsent(log.nativeId, k -> new ArrayList<>(1)).add(log);
            }
        }

        /**
         * Lets go of every log: a thread that keeps its log in its thread-local after this holds its own chunks only.
         */
        synchronized void forget() {
            newLogs.clear();
            logs.clear();
            byNativeId.clear();
            seeds.clear();
        }
    }

    /**
     * One OS thread's changes: appended by its thread (and on a carrier by the virtual threads it runs, one at a time),
     * read by the sampler's thread.
     */
    private final class ChangeLog {
        final Following following;
        final Thread thread;
        final long nativeId;
        /** Writer's side. */
        private Chunk tail;
        private int tailCount;
        /** The labels appended last. */
        LabelSet written = LabelSet.EMPTY;
        /** Reader's side. */
        Chunk head;
        private int headIndex;
        LabelSet last = LabelSet.EMPTY;
        long lastTime;
        boolean readAny;
        private LabelSet lastConverted;
        private List<Label> lastPprof = List.of();

        ChangeLog(Following following, Thread thread, long nativeId) {
            this.following = following;
            this.thread = thread;
            this.nativeId = nativeId;
        }

        void append(long time, LabelSet set) {
            if (thread == null) {
                dropped.incrementAndGet();
                return;
            }
            Chunk c = tail;
            int i = tailCount;
            if (c == null || i == c.times.length) {
                int size = c == null ? FIRST_CHUNK : Math.min(LARGEST_CHUNK, 2 * c.times.length);
                if (!following.take(size)) {
                    dropped.incrementAndGet();
                    return;
                }
                Chunk next = new Chunk(size);
                if (c == null) {
                    head = next;
                    HEAD.setRelease(this, next);
                } else {
                    c.next = next;
                }
                tail = c = next;
                i = 0;
            }
            c.times[i] = time;
            c.sets[i] = set;
            written = set;
            tailCount = i + 1;
            Chunk.COUNT.setRelease(c, i + 1);
        }

        /** Applies the changes up to {@code epochNanos}, freeing the chunks read to their end. */
        void readUntil(long epochNanos) {
            Chunk c = (Chunk) HEAD.getAcquire(this);
            if (c == null) return;
            while (true) {
                int published = (int) Chunk.COUNT.getAcquire(c);
                while (headIndex < published && c.times[headIndex] <= epochNanos) {
                    last = c.sets[headIndex];
                    lastTime = c.times[headIndex];
                    readAny = true;
                    headIndex++; // the entry is left as it is: the reader writes nothing the writer reads
                }
                if (headIndex < c.times.length) return;
                Chunk next = c.next;
                if (next == null) return;
                following.give(c.times.length);
                head = c = next;
                headIndex = 0;
            }
        }

        boolean readToEnd() {
            Chunk c = head;
            return c == null || (headIndex == (int) Chunk.COUNT.getAcquire(c) && c.next == null);
        }

        List<Label> pprof() {
            if (last != lastConverted) {
                lastPprof = ThreadLabels.toPprof(last);
                lastConverted = last;
            }
            return lastPprof;
        }
    }

    private static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(ChangeLog.class, "head", Chunk.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A run of changes; {@code count} of them are published to the reader. */
    private static final class Chunk {
        static final VarHandle COUNT;

        static {
            try {
                COUNT = MethodHandles.lookup().findVarHandle(Chunk.class, "count", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final long[] times;
        final LabelSet[] sets;
        @SuppressWarnings("unused") // through COUNT
        private int count;
        volatile Chunk next;

        Chunk(int size) {
            times = new long[size];
            sets = new LabelSet[size];
        }
    }
}

package dev.diag.jfr;

import dev.diag.base.DiagThreads;
import dev.diag.base.Lifecycle;
import dev.diag.base.Log;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;

import java.lang.instrument.Instrumentation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Streams JFR events in-process to the features that subscribe to them: one {@link RecordingStream} for all of diag,
 * started on the first subscription (so a JVM whose options need no JFR event never pays for JFR).
 *
 * <pre>{@code
 * JfrSession jfr = agent.jfr();                       // null when this runtime has no JFR
 * if (jfr != null && jfr.subscribe(
 *         EventRequest.of("jdk.JavaMonitorEnter").threshold(Duration.ZERO).withStackTrace(),
 *         event -> monitors.add(event))) {
 *     // events arrive on JFR's stream thread, about once a second, in timestamp order
 * }
 * }</pre>
 *
 * <p>Consumers run on the one stream thread: they must be quick and must not block. An exception from a consumer is
 * reported once and does not stop the stream. Requests for the same event are merged (see {@link EventRequest}); and
 * since JFR also merges settings with recordings the user starts, a consumer must read what it needs (a sampling
 * period) from the events, not from its request.
 *
 * <p>Windows: JFR hands events to the stream late (it flushes about once a second). A feature that records a window
 * filters events by their timestamps and, at the window's end, calls {@link #awaitCatchUp}: it commits a marker
 * event, asks JFR to flush at once ({@link JfrFlush}) and returns when the stream has delivered the marker, so
 * everything committed before it — a few milliseconds, or up to a second where JFR cannot be asked. The agent calls
 * {@link #awaitCatchUp} once at exit, before profiles are written, so that JFR's own shutdown hook cannot close the
 * stream with events still unread.
 *
 * <p>The disk repository is bounded ({@link #MAX_SIZE_BYTES}, {@link #MAX_AGE}); if JFR cannot start (no writable
 * temporary directory, JFR disabled) one {@code diag:} line is printed and every subscription returns false.
 */
public final class JfrSession {
    /** The repository keeps at most this much; the stream reads within a second, so little is ever needed. */
    static final long MAX_SIZE_BYTES = 32L * 1024 * 1024;
    static final Duration MAX_AGE = Duration.ofMinutes(2);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How long {@link #awaitCatchUp} waits for its marker before it asks JFR to flush again: the reader may have
     * checked for data just before a flush and missed its wake-up (JFR's nap has no memory), or been busy parsing.
     */
    private static final long REFLUSH_MILLIS = 50;

    private final Map<String, EventRequest> requests = new HashMap<>();
    /** Requests of subscriptions that may end ({@link #open}), by event name; merged with {@link #requests}. */
    private final Map<String, List<EventRequest>> temporary = new HashMap<>();
    private final Object progress = new Object();
    /** Run before waiters of {@link #awaitCatchUp} wake, so that what they read includes the flush's work. */
    private final List<Runnable> flushActions = new CopyOnWriteArrayList<>();
    private final Instrumentation inst;
    private volatile JfrFlush flusher = JfrFlush.none();
    /** Set once the recording runs; read without the session's lock by the exit path. */
    private volatile RecordingStream stream;
    private volatile boolean failed;
    private volatile boolean closed;
    private Throwable startFailure;
    private long syncSequence; // guarded by progress
    private long syncSeen; // guarded by progress
    private long syncFlushed; // guarded by progress

    /** Returns a session that waits for JFR's own flushes (about a second): for tests and runtimes without an agent. */
    public JfrSession() {
        this(null);
    }

    /**
     * Returns a session that asks JFR to flush when a window ends, with the agent's {@code inst} (see
     * {@link JfrFlush}); null means wait for JFR's own flushes.
     */
    public JfrSession(Instrumentation inst) {
        this.inst = inst;
    }

    /**
     * Enables {@code request}'s event (merged with earlier requests for it) and delivers each of its events to
     * {@code consumer}; starts the stream on first use. Returns false (after one {@code diag:} line, the first time)
     * when JFR cannot run in this JVM.
     */
    public synchronized boolean subscribe(EventRequest request, Consumer<RecordedEvent> consumer) {
        if (!ensureStarted()) return false;
        String name = request.eventName();
        EventRequest merged = requests.containsKey(name) ? requests.get(name).merge(request) : request;
        requests.put(name, merged);
        apply(effective(name));
        stream.onEvent(name, new GuardedConsumer(name, consumer));
        Log.debug("jfr: " + merged);
        return true;
    }

    /** A subscription made with {@link #open}; closing it twice is harmless. */
    public interface Subscription extends AutoCloseable {
        /** Stops delivering events to the consumer and lowers the event's settings to what other subscribers need. */
        @Override
        void close();
    }

    /**
     * Like {@link #subscribe}, for a feature that needs an event only for a while (the execution tracer, while a trace
     * records): closing the returned subscription removes the consumer and sets the event back to what the remaining
     * subscribers asked for (disabled when none remain), so nothing of it costs after the close. Returns null (after
     * one {@code diag:} line, the first time) when JFR cannot run in this JVM.
     */
    public synchronized Subscription open(EventRequest request, Consumer<RecordedEvent> consumer) {
        if (!ensureStarted()) return null;
        String name = request.eventName();
        temporary.computeIfAbsent(name, k -> new ArrayList<>()).add(request);
        apply(effective(name));
        GuardedConsumer guarded = new GuardedConsumer(name, consumer);
        stream.onEvent(name, guarded);
        return new Subscription() {
            private boolean closed;

            @Override
            public void close() {
                guarded.ended = true;
                // At exit JFR's own hook may hold its recorder's lock for good: settings are left as they are.
                if (Lifecycle.exiting()) return;
                synchronized (JfrSession.this) {
                    if (closed) return;
                    closed = true;
                    stream.remove(guarded);
                    List<EventRequest> list = temporary.get(name);
                    list.remove(request);
                    if (list.isEmpty()) temporary.remove(name);
                    EventRequest rest = effective(name);
                    if (rest == null) stream.disable(name);
                    else applyWithDefaults(rest);
                }
            }
        };
    }

    /** Returns the merge of every live request for {@code name}, or null when nobody wants it. */
    private EventRequest effective(String name) {
        EventRequest merged = requests.get(name);
        for (EventRequest r : temporary.getOrDefault(name, List.of())) merged = merged == null ? r : merged.merge(r);
        return merged;
    }

    /** Applies {@code r}, setting what it leaves open (null period, threshold) back to the event type's default. */
    private void applyWithDefaults(EventRequest r) {
        apply(r);
        var settings = stream.enable(r.eventName());
        FlightRecorder.getFlightRecorder().getEventTypes().stream()
                .filter(t -> t.getName().equals(r.eventName())).findFirst()
                .ifPresent(t -> t.getSettingDescriptors().forEach(d -> {
                    if ((d.getName().equals("threshold") && r.threshold() == null)
                            || (d.getName().equals("period") && r.period() == null)) {
                        settings.with(d.getName(), d.getDefaultValue());
                    }
                }));
    }

    /**
     * Runs {@code action} on the stream thread after each flush (and once when the stream closes), once every event
     * of that flush was delivered and before {@link #awaitCatchUp} returns.
     */
    public synchronized boolean onFlush(Runnable action) {
        if (!ensureStarted()) return false;
        flushActions.add(action);
        return true;
    }

    /**
     * Waits until every event committed before this call has been delivered to its consumers (and the flush actions
     * have run); returns false when that did not happen within {@code timeout} or the stream is closed. Costs a few
     * milliseconds when JFR can be asked to flush ({@link JfrFlush}), else up to one flush interval (about a second).
     */
    public boolean awaitCatchUp(Duration timeout) throws InterruptedException {
        // Not the session's lock: a start that JFR holds up keeps it, and the exit path comes here.
        if (stream == null || failed || closed) return false;
        long target;
        synchronized (progress) {
            target = ++syncSequence;
        }
        SyncEvent marker = new SyncEvent();
        marker.sequence = target;
        marker.commit();
        JfrFlush f = flusher;
        boolean asked = f.flush();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            synchronized (progress) {
                long left = deadline - System.nanoTime();
                if (syncFlushed < target && !closed && left > 0) {
                    long waitMillis = Math.max(1, left / 1_000_000);
                    progress.wait(asked ? Math.min(waitMillis, REFLUSH_MILLIS) : waitMillis);
                }
                if (syncFlushed >= target) return true;
                if (closed || deadline - System.nanoTime() <= 0) return false;
            }
            if (asked) asked = f.flush(); // outside the lock: the stream thread needs it to report progress
        }
    }

    /**
     * Waits until the stream has ended, for what JFR emits only when its recording stops (old-object samples): at JVM
     * exit, JFR's own shutdown hook stops it, in parallel with diag's. Returns false when it still runs after
     * {@code timeout}, or never started.
     */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        if (stream == null) return false;
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (!closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                progress.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** Returns whether the stream has started and not failed: whether there is anything to wait for. */
    public boolean running() {
        return stream != null && !failed;
    }

    /** Closes the stream (events still pending are dropped); later subscriptions return false. */
    public synchronized void close() {
        if (stream != null) stream.close();
        failed = true;
    }

    /** Starts the stream if it is not running; returns false (after one {@code diag:} line) when JFR cannot run. */
    public synchronized boolean start() {
        return ensureStarted();
    }

    /** Returns true when this JVM's JFR knows the event type {@code name} (such as {@code jdk.CPUTimeSample}). */
    public synchronized boolean hasEventType(String name) {
        if (!ensureStarted()) return false;
        return FlightRecorder.getFlightRecorder().getEventTypes().stream().anyMatch(t -> t.getName().equals(name));
    }

    private boolean ensureStarted() {
        if (stream != null) return true;
        if (failed) return false;
        RecordingStream s = null;
        try {
            if (!FlightRecorder.isAvailable()) throw new IllegalStateException("JFR is disabled in this JVM");
            if (Lifecycle.exiting()) throw new IllegalStateException("the JVM is shutting down");
            FlightRecorder.register(SyncEvent.class);
            s = new RecordingStream();
            s.setMaxSize(MAX_SIZE_BYTES);
            s.setMaxAge(MAX_AGE);
            s.enable(SyncEvent.NAME);
            s.onEvent(SyncEvent.NAME, this::onSync);
            s.onFlush(this::onStreamFlush);
            s.onClose(this::onStreamClose);
            RecordingStream started = s;
            // Not startAsync(): on JDK 17 its thread is not a daemon and would keep the JVM alive after main returns.
            DiagThreads.start("jfr", () -> run(started));
            Throwable failure = awaitRecording();
            if (failure != null) throw failure;
            stream = s;
            flusher = JfrFlush.open(inst);
            DiagThreads.start("jfr-rotate", this::rotateChunks);
            // Starting JFR started its periodic task thread in diag's group: name it as diag's.
            DiagThreads.adoptJdkThreads(java.util.Map.of());
            return true;
        } catch (Throwable e) {
            // On its own thread: a stream whose start JFR holds up keeps JFR's lock, and close() would wait for it.
            if (s != null) DiagThreads.start("jfr-close", s::close);
            failed = true;
            Log.featureError("JFR cannot start (" + e + "); cpu, heap, allocs and other JFR-based features are off", e);
            return false;
        }
    }

    /**
     * Starts a new JFR chunk every {@value #CHUNK_SECONDS} s. The stream's parser keeps every constant of the current
     * chunk (each thread, stack, class it has seen) until the chunk ends, and JFR ends one only at 12 MB: when diag's
     * own events are few (the native engine samples cpu and allocs, JFR only monitors), a chunk lasts minutes and an
     * application with endless new threads and stacks grows that cache by megabytes a second. Starting and stopping
     * an empty recording is the public way to make JFR begin a new chunk.
     */
    private void rotateChunks() {
        while (!closed && !failed) {
            try {
                Thread.sleep(CHUNK_SECONDS * 1000);
            } catch (InterruptedException e) {
                return;
            }
            if (Lifecycle.exiting() || closed) return; // a recording started during shutdown can hang (JDK 17)
            try (Recording r = new Recording()) {
                r.setName("diag chunk rotation");
                r.start();
                r.stop();
            } catch (Throwable e) {
                Log.debug("jfr: chunk rotation failed: " + e);
                return;
            }
        }
    }

    static final long CHUNK_SECONDS = 10;

    /** Runs the stream until it closes; a failure to start (no usable repository) is handed to the starter. */
    private void run(RecordingStream s) {
        try {
            // Once JFR's own shutdown hook has stopped its recorder, starting a recording never returns.
            if (Lifecycle.exiting()) throw new IllegalStateException("the JVM is shutting down");
            s.start();
        } catch (Throwable e) {
            synchronized (progress) {
                startFailure = e;
                progress.notifyAll();
            }
            onStreamClose();
        }
    }

    /**
     * Waits until the stream's recording runs (our marker event is enabled only then: a marker committed earlier
     * would be lost) and returns null, or returns why it could not start: JFR's own failure, the JVM's exit, or no
     * start within {@link #START_TIMEOUT} (a recording that slow is held up inside JFR).
     */
    private Throwable awaitRecording() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        SyncEvent probe = new SyncEvent();
        synchronized (progress) {
            while (startFailure == null && !probe.isEnabled()) {
                if (Lifecycle.exiting()) return new IllegalStateException("the JVM is shutting down");
                if (System.nanoTime() - deadline >= 0) {
                    return new IllegalStateException("JFR did not start within " + START_TIMEOUT.toSeconds() + " s");
                }
                progress.wait(5);
            }
            return startFailure;
        }
    }

    private void apply(EventRequest r) {
        var settings = stream.enable(r.eventName());
        if (r.period() != null) settings.withPeriod(r.period());
        if (r.threshold() != null) settings.withThreshold(r.threshold());
        if (r.stackTrace()) settings.withStackTrace();
        else settings.withoutStackTrace();
        r.other().forEach(settings::with);
    }

    private void onSync(RecordedEvent e) {
        long seq = e.getLong("sequence");
        synchronized (progress) {
            if (seq > syncSeen) syncSeen = seq;
        }
    }

    private void onStreamFlush() {
        runFlushActions();
        synchronized (progress) {
            syncFlushed = syncSeen;
            progress.notifyAll();
        }
    }

    private void onStreamClose() {
        runFlushActions();
        synchronized (progress) {
            syncFlushed = syncSeen;
            closed = true;
            progress.notifyAll();
        }
    }

    private void runFlushActions() {
        for (Runnable action : flushActions) {
            try {
                action.run();
            } catch (Throwable e) {
                Log.debug("jfr: flush action failed: " + e);
            }
        }
    }

    /** Delivers events to one subscriber, reporting its first failure instead of letting it end the stream. */
    private static final class GuardedConsumer implements Consumer<RecordedEvent> {
        private final String eventName;
        private final Consumer<RecordedEvent> consumer;
        private boolean reported;
        /** Set when the subscription closes, so that no event reaches the consumer after (even at exit). */
        volatile boolean ended;

        GuardedConsumer(String eventName, Consumer<RecordedEvent> consumer) {
            this.eventName = eventName;
            this.consumer = consumer;
        }

        @Override
        public void accept(RecordedEvent e) {
            if (ended) return;
            try {
                consumer.accept(e);
            } catch (Throwable t) {
                if (!reported) {
                    reported = true;
                    Log.error("consumer of " + eventName + " failed: " + t + "; later failures are not reported");
                }
            }
        }
    }
}

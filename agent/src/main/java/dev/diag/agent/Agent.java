package dev.diag.agent;

import dev.diag.attach.AgentProperties;
import dev.diag.attach.StatusPublisher;
import dev.diag.base.DiagThreads;
import dev.diag.base.Lifecycle;
import dev.diag.base.Log;
import dev.diag.base.OptionChange;
import dev.diag.base.OptionKey;
import dev.diag.base.Options;
import dev.diag.classfile.SourceFiles;
import dev.diag.contention.ContentionProfiles;
import dev.diag.continuous.ContinuousProfiler;
import dev.diag.continuous.ProfileFiles;
import dev.diag.continuous.WindowHistory;
import dev.diag.base.Sizes;
import dev.diag.pprof.GoProfiles;
import dev.diag.push.PushTarget;
import dev.diag.push.WindowPusher;
import dev.diag.cpu.CpuFeature;
import dev.diag.drain.RingDrainer;
import dev.diag.feature.Feature;
import dev.diag.feature.FeatureContext;
import dev.diag.gc.GcTrace;
import dev.diag.heapdump.OomHeapDumps;
import dev.diag.postmortem.CrashReport;
import dev.diag.heap.MemoryFeature;
import dev.diag.hook.LockOrderHook;
import dev.diag.hook.MutexWaiters;
import dev.diag.hook.ParkHook;
import dev.diag.hook.SpanLabelHook;
import dev.diag.hook.ThreadCreateHook;
import dev.diag.hook.ThreadExitHook;
import dev.diag.http.HttpEndpoint;
import dev.diag.instrument.HookInstaller;
import dev.diag.jfr.ExitedThreadCounters;
import dev.diag.jfr.JfrRuntime;
import dev.diag.jfr.JfrSession;
import dev.diag.labels.ThreadLabels;
import dev.diag.otel.OtelSpanLabels;
import dev.diag.pprof.AddressTable;
import dev.diag.pprof.ProfileData;
import dev.diag.pprof.ProfileRegistry;
import dev.diag.ring.EventRing;
import dev.diag.sampler.AsyncProfilerLibrary;
import dev.diag.sampler.NativeSampler;
import dev.diag.sampler.OsThreadOwners;
import dev.diag.threads.GoroutineProfile;
import dev.diag.threads.LockOrderFeature;
import dev.diag.threads.ThreadCreateProfile;
import dev.diag.trace.TraceFeature;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The running agent, one per JVM, and diag's composition root: it lists the features, hands each the narrow
 * {@link FeatureContext} it implements (and the collaborators it needs: the shared ring drainer, the cpu profilers
 * the endpoint serves), starts them in order and stops them in reverse at exit.
 *
 * <p>Start-up order: cheap registrations on the caller's thread (premain: before {@code main}), with the hooks when a
 * hooked profile is on from the start ({@link #needsHooksFromTheStart}); JFR, HTTP and otherwise the hooks on
 * {@code diag-init}.
 * Shutdown order (a {@code diag-shutdown} hook, bounded by {@code exit.timeout}, never waiting for start-up): stop
 * sampling hooks, drain, write the trace and {@code out=} files, then stop the HTTP server. A feature that fails to
 * start prints one {@code diag:} line and the rest runs on.
 */
public final class Agent implements FeatureContext {
    /** How long an attach waits for a first start-up (JFR, HTTP) before it answers the CLI. */
    private static final long INIT_WAIT_AT_ATTACH_MS = 45_000;

    private static Agent current;

    private volatile Options options;
    private final Instrumentation inst;
    private final ProfileRegistry registry = new ProfileRegistry();
    /** Profiles that are not in the registry but can be written at exit (cpu: a recording from start to exit). */
    private final Map<String, Supplier<ProfileData>> exitProfiles = new ConcurrentHashMap<>();
    /** Run at shutdown, in reverse order of registration, before files are written. */
    private final List<Runnable> stopActions = new ArrayList<>();
    /** Run at shutdown after files are written (the HTTP server goes last). */
    private final List<Runnable> closeActions = new ArrayList<>();
    private final CountDownLatch initialized = new CountDownLatch(1);
    /** diag's own counters, by name, for the {@code diag} object of /debug/vars and {@code status}. */
    private final Map<String, LongSupplier> counters = new ConcurrentSkipListMap<>();
    /** The hooks' event ring, emptied by one thread for every feature that reads it (block, mutex, trace). */
    private final RingDrainer drainer = new RingDrainer(EventRing.SHARED);
    private final CpuFeature cpu = new CpuFeature();
    private final MemoryFeature memory = new MemoryFeature();
    private final TraceFeature trace = new TraceFeature(drainer);
    /** Started on the caller's thread, not diag-init: see {@link #start}. */
    private final GcTrace gcTrace;
    /** Started on the caller's thread too: its hooks follow locks from main's first line, so its exit file must be due. */
    private final LockOrderFeature lockOrder = new LockOrderFeature(drainer);
    /** Started on {@code diag-init} in this order: block and mutex first (their hooks may have recorded since premain,
     *  and once registered they are written at exit even when the application ends while JFR starts), the HTTP
     *  endpoint after every profile it serves. */
    private final List<Feature> features = List.of(new ContentionProfiles(drainer), cpu, memory, trace,
            new HttpEndpoint(cpu, trace), new OomHeapDumps(), new CrashReport());
    private volatile ProfileFiles files;
    /** Set when start-up skipped a feature because the JVM was already exiting (start-up then ends at once). */
    private volatile boolean startSkippedAtExit;
    /** The shared JFR stream, created on first use; see {@link #jfr()}. */
    private JfrSession jfr;
    /** Labels of JFR events, created on first use; see {@link #threadLabels()}. */
    private ThreadLabels threadLabels;
    private boolean threadLabelsTried;
    private NativeSampler nativeSampler;
    private boolean nativeSamplerUnavailable;
    private boolean jfrUnavailable;
    private volatile ClassFileTransformer transformer;
    private volatile ContinuousProfiler continuous;
    private volatile WindowPusher pusher;
    /** When the JVM's shutdown reached diag ({@link System#nanoTime}); the exit's deadlines count from it. */
    private volatile long exitStartNanos;
    /** {@code diag.jar profile} windows under way: cut and written at exit before any stop action stops a sampler. */
    private final Set<RequestedWindow> windows = ConcurrentHashMap.newKeySet();
    /** How each feature takes a changed option at re-attach, by key; see {@link Reconfiguration}. */
    private final Map<OptionKey, NamedChange> optionChanges = new EnumMap<>(OptionKey.class);

    /** An {@link OptionChange} with the feature name its failure is reported under. */
    record NamedChange(String feature, OptionChange change) {}

    private Agent(Options options, Instrumentation inst, boolean attached) {
        this.options = options;
        this.inst = inst;
        this.gcTrace = new GcTrace(!attached);
    }

    /**
     * Starts diag, or, when it already runs in this JVM (a second attach, or attach to a JVM started with
     * {@code -javaagent}), applies the new options to it without installing anything twice. An attach waits for
     * start-up to finish so that its answer reports what started; premain never waits.
     */
    static Reconfiguration.Result startOrReconfigure(Options options, Instrumentation inst, boolean attached) {
        Agent agent;
        boolean started = false;
        long t0 = System.nanoTime();
        synchronized (Agent.class) {
            if (current == null) {
                current = new Agent(options, inst, attached);
                current.start();
                started = true;
                if (!attached) return new Reconfiguration.Result(false, List.of());
            }
            agent = current;
        }
        if (!agent.awaitInitialized(INIT_WAIT_AT_ATTACH_MS)) {
            String still = "diag's start-up still runs after " + INIT_WAIT_AT_ATTACH_MS / 1000 + " s";
            return started
                    ? new Reconfiguration.Result(false, List.of(still + "; its messages go to the application's stderr"))
                    : new Reconfiguration.Result(true, List.of(still + "; nothing changed, try again later"));
        }
        if (started) {
            List<String> lines = new ArrayList<>();
            lines.add("diag " + DiagAgent.version() + " started with "
                    + (options.toString().isEmpty() ? "defaults" : options) + " in "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms");
            agent.addEndpointLines(lines);
            return new Reconfiguration.Result(false, lines);
        }
        String servedBefore = HttpEndpoint.url();
        Reconfiguration.Result result = agent.reconfigure(options);
        if (servedBefore != null || HttpEndpoint.url() == null) return result; // said when it started serving
        List<String> lines = new ArrayList<>(result.lines());
        agent.addEndpointLines(lines);
        return new Reconfiguration.Result(false, lines);
    }

    /**
     * Adds what an attach that turned on {@code http=} should say: where the endpoint is, and, since a plain attach
     * leaves them at 0, that its block and mutex profiles stay empty until their rates are set, and how to set them.
     */
    private void addEndpointLines(List<String> lines) {
        String url = HttpEndpoint.url();
        if (url == null) return;
        lines.add("serving " + url);
        List<String> profiles = new ArrayList<>();
        List<String> zero = new ArrayList<>();
        List<String> one = new ArrayList<>();
        for (OptionKey k : List.of(OptionKey.BLOCK_RATE, OptionKey.MUTEX_FRACTION)) {
            if ((k == OptionKey.BLOCK_RATE ? options.blockRate() : options.mutexFraction()) != 0) continue;
            profiles.add(k == OptionKey.BLOCK_RATE ? GoProfiles.BLOCK : GoProfiles.MUTEX);
            zero.add(k.key() + "=0");
            one.add(k.key() + "=1");
        }
        if (profiles.isEmpty()) return;
        lines.add(String.join(" and ", profiles) + (profiles.size() == 1 ? " profile records" : " profiles record")
                + " nothing at " + String.join(", ", zero) + "; turn on with: java -jar diag.jar attach "
                + ProcessHandle.current().pid() + " " + String.join(",", one));
    }

    /** Returns the running agent, or null when diag is not started in this JVM. */
    public static synchronized Agent current() {
        return current;
    }

    @Override
    public Options options() {
        return options;
    }

    void setOptions(Options options) {
        this.options = options;
        publishProperties();
    }

    @Override
    public void onOptionChange(String feature, Set<OptionKey> keys, OptionChange change) {
        synchronized (optionChanges) {
            for (OptionKey k : keys) optionChanges.put(k, new NamedChange(feature, change));
        }
    }

    NamedChange optionChange(OptionKey key) {
        synchronized (optionChanges) {
            return optionChanges.get(key);
        }
    }

    /**
     * Stops continuous profiling (the window under way is dropped), then sends the windows still queued for
     * {@code push=} until {@code deadlineNanos} ({@link System#nanoTime}); a window stop that ran past it leaves
     * them unsent, and one line says how many.
     */
    void stopContinuous(long deadlineNanos) {
        var c = continuous;
        if (c != null) c.stop();
        continuous = null;
        var p = pusher;
        if (p != null) p.stopAndFlush(deadlineNanos);
        pusher = null;
    }

    void setFiles(ProfileFiles files) {
        this.files = files;
    }

    /** The cpu and wall profilers, for windows asked for by {@code diag.jar profile}. */
    CpuFeature cpu() {
        return cpu;
    }

    /** The allocs and heap profiles, for windows asked for by {@code diag.jar profile}. */
    MemoryFeature memory() {
        return memory;
    }

    /** Applies a re-attach's options (or a window's temporary rate) to the running agent, one change at a time. */
    Reconfiguration.Result reconfigure(Options requested) {
        synchronized (optionChanges) {
            return Reconfiguration.apply(this, requested);
        }
    }

    /** Tracks a window while it records, so that an exit cuts it short and writes it ({@link #writeAtExit}). */
    void windowRecording(RequestedWindow window, boolean recording) {
        if (recording) windows.add(window);
        else windows.remove(window);
    }

    /** Waits at most {@code millis} for start-up to end; returns whether it has. */
    boolean awaitInitialized(long millis) {
        try {
            return initialized.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void publishProperties() {
        AgentProperties.publish(DiagAgent.version(), DiagAgent.jarPath(), BootstrapJar.fingerprint(),
                options.toString());
    }

    @Override
    public ProfileRegistry registry() {
        return registry;
    }

    @Override
    public Instrumentation instrumentation() {
        return inst;
    }

    @Override
    public void addCounter(String name, LongSupplier value) {
        counters.put(name, value);
    }

    @Override
    public Map<String, LongSupplier> counters() {
        return Collections.unmodifiableMap(counters);
    }

    /** {@inheritDoc} Call it from a feature's start-up on {@code diag-init}, never from {@code premain}. */
    @Override
    public synchronized JfrSession jfr() {
        if (jfr == null && !jfrUnavailable) {
            var reason = JfrRuntime.unavailableReason();
            if (reason.isPresent()) {
                jfrUnavailable = true;
                Log.error(reason.get() + "; cpu, heap, allocs and other JFR-based features are off");
            } else {
                jfr = new JfrSession(inst);
            }
        }
        return jfr;
    }

    /** {@inheritDoc} Call it from a feature's start-up on {@code diag-init}. */
    @Override
    public synchronized ThreadLabels threadLabels() {
        if (threadLabels == null && !threadLabelsTried) {
            threadLabelsTried = true;
            JfrSession session = jfr();
            threadLabels = session == null ? null : ThreadLabels.start(session);
            if (threadLabels != null) {
                ThreadLabels l = threadLabels;
                addCounter("labels.jfr_threads_dropped", l::dropped);
            }
        }
        return threadLabels;
    }

    /** {@inheritDoc} Call it on {@code diag-init}. */
    @Override
    public synchronized NativeSampler nativeSampler() {
        if (nativeSampler == null && !nativeSamplerUnavailable) {
            String engine = options.get(OptionKey.ENGINE);
            if (!engine.equals("jfr")) {
                nativeSampler = NativeSampler.open(inst,
                        1_000_000_000L / options.getLong(OptionKey.CPU_HZ), options.isSet(OptionKey.CPU_HZ),
                        options.getLong(OptionKey.ALLOC_RATE), options.getDurationNanos(OptionKey.WALL_INTERVAL));
            }
            if (nativeSampler == null) {
                nativeSamplerUnavailable = true;
                String why = AsyncProfilerLibrary.failure();
                // Asked for by name, its absence is news; under auto, the profiles' comments say which engine ran.
                if (engine.equals("async-profiler")) Log.error(why + "; cpu and allocs use JFR");
                else if (why != null) Log.debug(why + "; cpu and allocs use JFR");
            } else {
                NativeSampler s = nativeSampler;
                onStop(s::close); // before the exit profiles are written: what it holds is delivered
                addCounter("sampler.samples", s::samplesRead);
                addCounter("sampler.java_ids_corrected", s::javaIdsCorrected);
                addCounter("sampler.read_cpu_ms", () -> s.readCpuNanos() / 1_000_000);
                addCounter("sampler.thread_ends_dropped", OsThreadOwners.INSTANCE::dropped);
            }
        }
        return nativeSampler;
    }

    @Override
    public void addExitProfile(String name, Supplier<ProfileData> source) {
        exitProfiles.put(name, source);
    }

    @Override
    public synchronized void onStop(Runnable action) {
        stopActions.add(action);
    }

    @Override
    public synchronized void onClose(Runnable action) {
        closeActions.add(action);
    }

    private void start() {
        registry.register(new GoroutineProfile());
        registry.register(new ThreadCreateProfile());
        addCounter("threadcreate.stacks_dropped", ThreadCreateHook::overflow);
        addCounter("pprof.addresses_unkept", AddressTable::unkept);
        Runtime.getRuntime().addShutdownHook(DiagThreads.newThread("shutdown", this::shutdown));
        if (options.isSet(OptionKey.OUT)) {
            ProfileFiles f = new ProfileFiles(Path.of(options.get(OptionKey.OUT)));
            files = f; // before the directory exists: an exit that sees it must write into it
            if (!f.prepare()) files = null;
        }
        // The final push flush ends at half the exit bound, counted from the exit's start (JFR's catch-up and the
        // other stop actions may have used some): the exit files still get the other half.
        onStop(() -> stopContinuous(exitStartNanos + options.getDurationNanos(OptionKey.EXIT_TIMEOUT) / 2));
        // Before main, as Go prints from the first collection; off, it costs one option read (the JDK's management
        // classes load only when it is on).
        feature(gcTrace.name(), () -> gcTrace.start(this));
        feature(lockOrder.name(), () -> lockOrder.start(this));
        Reconfiguration.registerBuiltIns(this);
        publishProperties();
        StatusPublisher.start(counters());
        // When a hooked profile is on, the hooks go in here, on the thread that starts diag (premain: before main):
        // the application's first lock waits and thread starts are recorded too. That costs about 0.1 s of wall time
        // before main on a busy 2-core machine, which only those profiles pay; the others get the hooks at the end of
        // diag-init.
        boolean hooksBeforeMain = needsHooksFromTheStart(options);
        if (hooksBeforeMain) feature("instrumentation", this::installHooks);
        DiagThreads.start("init", () -> {
            try {
                initialize();
                // No profile needs them yet (block, mutex, threadcreate, trace and http put them in before main): they
                // go in once the samplers run, so that a short command's CPU profile starts a quarter second sooner.
                if (!hooksBeforeMain) feature("instrumentation", this::installHooks);
                StatusPublisher.refresh(counters()); // the features' counters, now, not a second later
            } finally {
                AgentProperties.publishStarted(); // before the count-down: an attach's answer follows it
                initialized.countDown();
            }
        });
    }

    private void initialize() {
        SourceFiles.install(inst); // file names for JFR's stacks
        // Reads ThreadMXBean: its management classes are not worth loading before main.
        feature("thread exit counters", () -> ThreadExitHook.setListener(thread -> {
            ExitedThreadCounters.INSTANCE.exiting(thread);
            OsThreadOwners.INSTANCE.exiting(thread); // does nothing unless the native sampler is open
        }));
        feature("ring drainer", this::startDrainer);
        // On diag-init, a daemon thread, as the HTTP server's dispatcher must be.
        for (Feature f : features) feature(f.name(), () -> f.start(this));
        Log.debug("started with " + options);
        feature("continuous profiling", this::startContinuous);
    }

    /**
     * Returns whether a profile that only hooks can record is on from the start: block or mutex at a rate, the
     * threadcreate profile (written to out=, or served by http=, whose threadcreate counts from the JVM's start as
     * Go's does), or a trace from the start. Then a wait or a thread start on main's first line must be seen.
     */
    static boolean needsHooksFromTheStart(Options options) {
        if (options.blockRate() > 0 || options.mutexFraction() > 0) return true;
        if (options.getLong(OptionKey.LOCKORDER) == 1) return true; // a lock held from main's first line has its order
        if (options.isSet(OptionKey.TRACE) || options.isSet(OptionKey.HTTP)) return true;
        return options.recordsProfiles() && options.profiles().contains("threadcreate");
    }

    /**
     * Installs every hook (their cost while a profile is off is a static read) and turns on the hooked profiles whose
     * options are known now, so that they record from the first line of {@code main}: threadcreate, and block and
     * mutex at their rates (the drainer, started on diag-init, reads what they recorded meanwhile from the ring).
     */
    private void installHooks() {
        ParkHook.setIgnoredGroup(DiagThreads.group());
        ParkHook.setBlockRate(options.blockRate());
        MutexWaiters.setFraction(options.mutexFraction());
        LockOrderHook.setIgnoredGroup(DiagThreads.group());
        boolean lockOrder = options.getLong(OptionKey.LOCKORDER) == 1;
        LockOrderHook.setEnabled(lockOrder);
        ThreadCreateHook.setEnabled(true);
        SpanLabelHook.setLabeller(new OtelSpanLabels());
        addCounter("labels.span_scopes_too_deep", SpanLabelHook::tooDeep);
        transformer = HookInstaller.install(inst, lockOrder);
    }

    /** Starts {@code diag-drainer}; at exit it stops after the features have turned their hooks off, and drains. */
    private void startDrainer() {
        onStop(drainer::stop);
        drainer.start();
        addCounter("ring.seen", () -> EventRing.SHARED.offered() + EventRing.SHARED.dropped());
        addCounter("ring.recorded", drainer::drained);
        addCounter("ring.dropped", EventRing.SHARED::dropped);
        addCounter("ring.max_occupancy", EventRing.SHARED::maxOccupancy);
        addCounter("ring.capacity", EventRing.SHARED::capacity);
    }

    /** Starts interval recordings into out= and to push= once every profiler is up. */
    void startContinuous() {
        Options options = this.options;
        ProfileFiles files = this.files;
        boolean push = options.isSet(OptionKey.PUSH);
        long interval = options.getDurationNanos(OptionKey.INTERVAL);
        long duration = options.isSet(OptionKey.DURATION) ? options.getDurationNanos(OptionKey.DURATION) : interval;
        if (interval == 0) {
            if (options.isSet(OptionKey.DURATION)) Log.error("duration= needs interval=; continuous profiling is off");
            if (push) Log.error("push= needs interval= (how often to send a window); push is off");
            return;
        }
        if (files == null && !push) {
            Log.error("interval= needs a usable out= directory; continuous profiling is off");
            return;
        }
        if (duration > interval) {
            Log.error("duration (" + options.get(OptionKey.DURATION) + ") is longer than interval ("
                    + options.get(OptionKey.INTERVAL) + "); continuous profiling is off");
            return;
        }
        WindowPusher p = null;
        if (push) {
            PushTarget target;
            try {
                target = PushTarget.from(options, System.getProperty("sun.java.command"));
            } catch (java.io.IOException e) {
                Log.error("push is off: " + e.getMessage());
                if (files == null) return;
                target = null;
            }
            if (target != null) {
                p = new WindowPusher(target);
                addCounter("push.windows_sent", WindowPusher::sent);
                addCounter("push.windows_dropped", WindowPusher::dropped);
                addCounter("push.errors", WindowPusher::errors);
                p.start();
                Log.debug("push: sending windows of " + target.app() + " to " + target);
            }
        }
        Map<String, Long> rates = Map.of(GoProfiles.CPU, options.getLong(OptionKey.CPU_HZ),
                CpuFeature.WALL, Math.max(1, 1_000_000_000L / options.getDurationNanos(OptionKey.WALL_INTERVAL)));
        WindowHistory history = new WindowHistory(
                options.isSet(OptionKey.OUT_KEEP) ? (int) options.getLong(OptionKey.OUT_KEEP) : 0,
                options.isSet(OptionKey.OUT_MAX) ? Sizes.parseBytes(options.get(OptionKey.OUT_MAX)) : 0);
        var c = new ContinuousProfiler(this, cpu, files, history, p, rates, options.profiles(), interval, duration);
        pusher = p;
        continuous = c;
        c.start();
    }

    /** Runs one feature's start-up; a failure turns that feature off with one line, never the others. */
    void feature(String name, ThrowingRunnable body) {
        if (Lifecycle.exiting()) {
            startSkippedAtExit = true;
            Log.debug(name + " not started: the JVM is shutting down");
            return;
        }
        long t0 = System.nanoTime();
        try {
            body.run();
            Log.debug(name + ": started in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        } catch (Throwable e) {
            Log.featureError(name + " is off: " + e, e);
        }
    }

    /** A start-up step that may throw anything. */
    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /**
     * The {@code diag-shutdown} hook: does the exit work on a {@code diag-exit} thread and waits for it at most
     * {@code exit.timeout}, so that nothing diag waits on (JFR's locks above all) can hold the JVM's exit up. Files are
     * written atomically, so one given up on is absent, never partial.
     */
    private void shutdown() {
        exitStartNanos = System.nanoTime();
        Lifecycle.markExiting();
        long timeoutNanos = options.getDurationNanos(OptionKey.EXIT_TIMEOUT);
        Set<String> pending = Collections.synchronizedSet(new LinkedHashSet<>());
        if (options.isSet(OptionKey.TRACE)) pending.add("trace");
        if (files != null) pending.addAll(options.profiles());
        boolean stillStarting = initialized.getCount() > 0;
        Thread exit = DiagThreads.start("exit", () -> writeAtExit(pending, stillStarting));
        try {
            exit.join(Math.max(1, timeoutNanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (exit.isAlive()) {
            String what;
            synchronized (pending) {
                what = pending.isEmpty() ? "" : "; not written: " + String.join(", ", pending);
            }
            Log.error("exit: gave up after exit.timeout=" + options.get(OptionKey.EXIT_TIMEOUT) + what);
        }
    }

    /** Stops the samplers, writes the trace and {@code out=} files, then stops HTTP; removes from {@code pending}. */
    private void writeAtExit(Set<String> pending, boolean stillStarting) {
        boolean startCut = stillStarting || startSkippedAtExit;
        ThreadCreateHook.setEnabled(false);
        awaitJfrCatchUp();
        for (RequestedWindow w : windows) w.cutAtExit();
        runInReverse(stopActions);
        pending.remove("trace");
        ProfileFiles out = files;
        List<String> notWritten = new ArrayList<>();
        if (options.isSet(OptionKey.TRACE) && !trace.stoppedAtExit()) notWritten.add("trace");
        if (out != null) {
            out.writeAll(options.profiles(), name -> {
                ProfileData data = exitProfile(name, startCut);
                if (data == null) notWritten.add(name);
                return data;
            }, pending::remove);
        }
        if (startCut && !notWritten.isEmpty()) {
            // What could not start once the JVM was shutting down (JFR refuses to) was only said at debug level.
            Log.info("the application ended while diag was still starting; not written: "
                    + String.join(", ", notWritten));
        }
        runInReverse(closeActions);
    }

    /** Reads every JFR event committed so far, before JFR's own shutdown hook (which races this one) closes it. */
    private void awaitJfrCatchUp() {
        JfrSession session;
        synchronized (this) {
            session = jfr;
        }
        if (session == null || !session.running()) return;
        try {
            if (!session.awaitCatchUp(java.time.Duration.ofSeconds(3))) {
                Log.debug("jfr: stream did not catch up before exit; the last second of JFR data may be missing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runInReverse(List<Runnable> list) {
        List<Runnable> actions;
        synchronized (this) {
            actions = new ArrayList<>(list);
        }
        for (int i = actions.size() - 1; i >= 0; i--) {
            try {
                actions.get(i).run();
            } catch (Throwable e) {
                Log.error("stop failed: " + e);
            }
        }
    }

    private ProfileData exitProfile(String name, boolean stillStarting) {
        Supplier<ProfileData> s = exitProfiles.get(name);
        if (s != null) return s.get();
        var p = registry.lookup(name);
        if (p == null) {
            // Still starting: its feature has not registered it yet, and the summary line at exit names it.
            if (!stillStarting) Log.error(name + " profile is not available in this build; not written");
            return null;
        }
        return p.snapshot();
    }
}

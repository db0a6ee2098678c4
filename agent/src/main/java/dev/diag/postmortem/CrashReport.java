package dev.diag.postmortem;

import dev.diag.base.AtomicFile;
import dev.diag.base.FileErrors;
import dev.diag.base.Log;
import dev.diag.base.OptionKey;
import dev.diag.base.Options;
import dev.diag.feature.Feature;
import dev.diag.feature.FeatureContext;
import dev.diag.pprof.GoProfiles;
import dev.diag.pprof.Profile;
import dev.diag.pprof.ProfileEncoder;
import dev.diag.threads.Goroutine;
import dev.diag.threads.GoroutineDumpWriter;
import dev.diag.threads.ThreadList;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * {@code traceback=crash}, Go's {@code GOTRACEBACK=crash} for a JVM: when the program dies (its main thread ends with
 * an uncaught throwable, any thread meets an uncaught {@code OutOfMemoryError}, or a SIGTERM, SIGINT or SIGHUP starts
 * the JVM's shutdown), a goroutine dump in {@code goroutine?debug=2}'s layout, headed by what killed it, and the heap
 * profile are written next to the {@code out=} files ({@code crash-goroutine.txt}, {@code crash-heap.pb.gz}), once,
 * at that moment: the threads as they were, not as they are after shutdown hooks ran.
 *
 * <p>How: a default uncaught-exception handler that hands over to the one it replaced, and signal handlers that run
 * the JVM's own after writing. An application that installs its own later keeps working; diag just sees less.
 */
public final class CrashReport implements Feature {
    static final String GOROUTINE_FILE = "crash-goroutine.txt";
    static final String HEAP_FILE = "crash-heap.pb.gz";
    private static final String[] SIGNALS = {"TERM", "INT", "HUP"};
    private static final int RESERVE_BYTES = 8 << 20;

    private final AtomicBoolean written = new AtomicBoolean();
    /** Let go of as the report is written, so that a JVM out of memory has room to write it. */
    private volatile byte[] reserve;
    private FeatureContext context;
    private Path dir;

    @Override
    public String name() {
        return "crash report";
    }

    @Override
    public void start(FeatureContext context) {
        Options options = context.options();
        if (!options.isSet(OptionKey.TRACEBACK)) return;
        this.context = context;
        this.dir = Path.of(options.isSet(OptionKey.OUT) ? options.get(OptionKey.OUT) : ".").toAbsolutePath().normalize();
        try {
            AtomicFile.checkWritable(dir);
        } catch (Exception e) {
            Log.error("traceback=crash is off: cannot write to " + dir + ": " + FileErrors.describe(e));
            return;
        }
        reserve = new byte[RESERVE_BYTES];
        // Loads and links what a report needs now: at an OutOfMemoryError, loading a class can fail too.
        render(new StringBuilder("panic: ").append(new IllegalStateException()).toString(), new IllegalStateException());
        new Bytes(new byte[0]);
        Log.isDebug();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Handler handler = new Handler(previous, mainThread());
        handler.isCrash(Thread.currentThread(), new OutOfMemoryError("resolved at start"));
        Thread.setDefaultUncaughtExceptionHandler(handler);
        for (String name : SIGNALS) installSignal(name);
    }

    /**
     * The default uncaught-exception handler: a class, and no string concatenation ({@code invokedynamic}) on its path,
     * since at an OutOfMemoryError linking a call site loads classes, and loading a class needs memory too.
     */
    private final class Handler implements Thread.UncaughtExceptionHandler {
        private final Thread.UncaughtExceptionHandler previous;
        private final Thread main;

        Handler(Thread.UncaughtExceptionHandler previous, Thread main) {
            this.previous = previous;
            this.main = main;
        }

        /**
         * Whether {@code e} ends the program. Called once at start, so that the class it names is resolved then: the
         * first resolution from diag's class loader runs that loader's Java code, which allocates.
         */
        boolean isCrash(Thread t, Throwable e) {
            return t == main || e instanceof OutOfMemoryError;
        }

        @Override
        public void uncaughtException(Thread t, Throwable e) {
            if (isCrash(t, e)) {
                reserve = null; // first: building the report allocates
                // A throwable without frames (an OutOfMemoryError thrown after the JVM's few preallocated ones with
                // room for a stack were used up) says so, or its empty goroutine would read as diag's omission.
                String noFrames = e.getStackTrace().length == 0 ? "; the JVM kept no stack for it" : "";
                write(new StringBuilder("panic: ").append(e).append(" (uncaught in thread \"").append(t.getName())
                        .append('"').append(noFrames).append(')').toString(), e);
            }
            if (previous != null) {
                previous.uncaughtException(t, e);
            } else {
                // What ThreadGroup.uncaughtException prints when no default handler is set (calling it would call
                // this handler again).
                System.err.print(new StringBuilder("Exception in thread \"").append(t.getName()).append("\" ")
                        .toString());
                e.printStackTrace(System.err);
            }
        }
    }

    /** Writes a report's bytes: a class, not a lambda, for the same reason as {@link Handler}. */
    private static final class Bytes implements AtomicFile.Content {
        private final byte[] bytes;

        Bytes(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public void writeTo(java.io.OutputStream out) throws java.io.IOException {
            out.write(bytes);
        }
    }

    private void installSignal(String name) {
        try {
            sun.misc.Signal signal = new sun.misc.Signal(name);
            sun.misc.SignalHandler[] previous = new sun.misc.SignalHandler[1];
            previous[0] = sun.misc.Signal.handle(signal, s -> {
                write("signal: SIG" + name, null);
                sun.misc.SignalHandler p = previous[0];
                if (p != null && p != sun.misc.SignalHandler.SIG_DFL && p != sun.misc.SignalHandler.SIG_IGN) {
                    p.handle(s);
                } else if (p == sun.misc.SignalHandler.SIG_DFL) {
                    System.exit(128 + s.getNumber()); // what the JVM's own handler does for these signals
                }
            });
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            // -Xrs, or the JVM uses this signal itself: that one is not reported
            Log.debug("traceback=crash: SIG" + name + " not watched: " + e);
        }
    }

    /** Writes the report once; on the dying thread, so it must not throw. */
    private void write(String reason, Throwable cause) {
        if (!written.compareAndSet(false, true)) return;
        reserve = null;
        try {
            byte[] text = render(reason, cause).getBytes(StandardCharsets.UTF_8);
            AtomicFile.write(dir.resolve(GOROUTINE_FILE), new Bytes(text));
            StringBuilder line = new StringBuilder(reason).append(": wrote ").append(GOROUTINE_FILE);
            try {
                Profile p = context.registry().lookup(GoProfiles.HEAP);
                if (p != null) {
                    AtomicFile.write(dir.resolve(HEAP_FILE), new Bytes(ProfileEncoder.toGzip(p.snapshot())));
                    line.append(" and ").append(HEAP_FILE);
                }
            } catch (Throwable e) {
                line.append(" (no heap profile: ").append(e).append(')');
            }
            Log.error(line.append(" to ").append(dir).toString());
        } catch (Throwable e) {
            try {
                Log.error("traceback=crash: could not write the crash report to " + dir + ": " + e);
            } catch (Throwable ignored) {
                // out of memory even for one line
            }
        }
    }

    /**
     * The report: the reason, the throwable's frames as the panicking goroutine, then every other thread (the dying
     * thread's own stack now is only this handler's); for a signal, every thread, the handler's first.
     */
    private static String render(String reason, Throwable cause) {
        StringBuilder sb = new StringBuilder(reason).append("\n\n");
        long current = Thread.currentThread().getId();
        List<Goroutine> threads = ThreadList.all();
        if (cause != null) {
            sb.append(causeStack(cause)).append('\n');
            threads = threads.stream().filter(g -> g.virtual() || g.id() != current).collect(Collectors.toList());
        }
        sb.append(GoroutineDumpWriter.write(threads, current));
        return sb.toString();
    }

    /** The throwable's own frames, as the goroutine that panicked. */
    private static String causeStack(Throwable cause) {
        StringBuilder sb = new StringBuilder("goroutine ").append(Thread.currentThread().getId())
                .append(" [panicking]:\n");
        for (StackTraceElement e : cause.getStackTrace()) GoroutineDumpWriter.appendFrame(sb, e);
        return sb.toString();
    }

    /** The launcher's main thread, found by listing threads: no stack is taken (a full dump costs a safepoint). */
    private static Thread mainThread() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) root = root.getParent();
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n = root.enumerate(threads, true);
        for (int i = 0; i < n; i++) {
            Thread t = threads[i];
            if (t.getName().equals("main") && t.getThreadGroup() != null && t.getThreadGroup().getName().equals("main")) {
                return t;
            }
        }
        return null;
    }
}

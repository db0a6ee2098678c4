package dev.diag.base;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Every agent option: its key, default, help text, and how its value is checked. {@code java -jar diag.jar help}
 * prints this table, so it is the single source of truth for what the agent accepts.
 */
public enum OptionKey {
    HTTP("http", "", "serve /debug/pprof, /debug/vars, /debug/requests and /debug/events on HOST:PORT (or PORT, meaning 127.0.0.1)") {
        @Override void check(String v) { HostPort.parse(v); }
    },
    HTTP_PATH("http.path", "/debug/pprof", "prefix of the pprof endpoints") {
        @Override void check(String v) {
            if (!v.startsWith("/") || v.length() < 2 || v.endsWith("/")) throw new IllegalArgumentException();
        }
    },
    HTTP_TOKEN("http.token", "", "bearer token every HTTP request must carry (prefer http.token.file)") {
        @Override public boolean isSecret() { return true; }
    },
    HTTP_TOKEN_FILE("http.token.file", "", "file holding the bearer token"),
    HTTP_TIMEOUT("http.timeout", "", "as Go's http.Server WriteTimeout: profile, trace and delta windows this long or "
            + "longer are refused (Go duration: 60s)") {
        @Override void check(String v) { positiveDuration(v); }
    },
    OUT("out", "", "directory for profile files, written at exit (and every interval when continuous)"),
    OUT_KEEP("out.keep", "", "keep only the newest N interval windows of each profile in out= (exit files stay)") {
        @Override void check(String v) { range(v, 1, Integer.MAX_VALUE, "a whole number of windows, 1 or more"); }
    },
    OUT_MAX("out.max", "", "delete the oldest interval windows in out= while they take more than SIZE (100MB, 1GiB)") {
        @Override void check(String v) { if (Sizes.parseBytes(v) <= 0) throw new IllegalArgumentException(); }
    },
    PROFILES("profiles", "cpu,allocs", "profiles recorded for out=/push=: cpu,heap,allocs,block,mutex,goroutine,threadcreate,wall") {
        @Override void check(String v) {
            for (String name : v.split(",")) {
                if (!PROFILE_NAMES.contains(name)) {
                    String near = Suggestions.closest(name, PROFILE_NAMES);
                    throw new Expected("no profile \"" + Log.abbreviate(name) + "\""
                            + (near == null ? ";" : ": did you mean " + near + "?") + " profiles are "
                            + String.join(", ", new java.util.TreeSet<>(PROFILE_NAMES)));
                }
            }
        }
    },
    INTERVAL("interval", "", "continuous profiling: start a recording every INTERVAL (Go duration: 10s, 1m; 0 = off)") {
        @Override void check(String v) {
            long n;
            try {
                n = GoDuration.parseNanos(v);
            } catch (RuntimeException e) {
                throw new Expected(GO_DURATION + ", or 0 for off");
            }
            if (n < 0) throw new Expected(GO_DURATION + ", or 0 for off");
        }
    },
    DURATION("duration", "", "continuous profiling: length of each recording (default: the interval)") {
        @Override void check(String v) { positiveDuration(v); }
    },
    CPU_HZ("cpu.hz", "1000", "CPU samples per second of a thread's CPU time (1..1000): Go's SetCPUProfileRate, "
            + "whose default is 100. Unset: exact in windows, traces and the first 5 s of CPU, at most the "
            + "kernel's tick elsewhere") {
        @Override void check(String v) { range(v, 1, 1000, "a whole number of Hz from 1 to 1000"); }
    },
    ENGINE("engine", "auto", "where cpu and allocs samples come from: async-profiler (the native sampler in diag.jar), "
            + "jfr, or auto (async-profiler where it loads, else JFR)") {
        @Override void check(String v) { oneOf(v, List.of("auto", "async-profiler", "jfr")); }
    },
    WALL_INTERVAL("wall.interval", "20ms", "wall profile: wall-clock time between two samples of a thread (Go duration, "
            + "1ms..1s)") {
        @Override void check(String v) {
            long n = GoDuration.parseNanos(v);
            if (n < 1_000_000L || n > 1_000_000_000L) throw new Expected("a Go duration from 1ms to 1s");
        }
    },
    BLOCK_RATE("block.rate", "0", "as runtime.SetBlockProfileRate: ns of blocking per sample (1 = every event, 0 = off)") {
        @Override void check(String v) { range(v, 0, Long.MAX_VALUE, "nanoseconds, 0 or more"); }
    },
    MUTEX_FRACTION("mutex.fraction", "0", "as runtime.SetMutexProfileFraction: record 1/N of contention events (0 = off)") {
        @Override void check(String v) { range(v, 0, Integer.MAX_VALUE, "a whole number, 0 or more"); }
    },
    ALLOC_RATE("alloc.rate", "524288", "period of heap and allocs profiles, as runtime.MemProfileRate: mean bytes between two allocation samples") {
        @Override void check(String v) { range(v, 1, Long.MAX_VALUE, "bytes, 1 or more"); }
    },
    GCTRACE("gctrace", "0", "as GODEBUG=gctrace=1: one line per garbage collection on stderr, in Go's layout "
            + "(1 = on, 0 = off)") {
        @Override void check(String v) { oneOf(v, List.of("0", "1")); }
    },
    LOCKORDER("lockorder", "0", "1: follow the order ReentrantLock/ReentrantReadWriteLock locks are taken in and report "
            + "two ever taken in opposite orders (a potential deadlock) at /debug/pprof/lockorder and in out= (0 = off)") {
        @Override void check(String v) { oneOf(v, List.of("0", "1")); }
    },
    HEAPDUMP_ON("heapdump.on", "", "oom: the JVM writes an HPROF heap dump when it runs out of memory, into heapdump.dir") {
        @Override void check(String v) { oneOf(v, List.of("oom")); }
    },
    HEAPDUMP_DIR("heapdump.dir", "", "directory of heapdump.on dumps (default: out=, else the working directory)"),
    TRACEBACK("traceback", "", "crash: as GOTRACEBACK=crash, when the JVM dies (uncaught error in main, "
            + "OutOfMemoryError, SIGTERM/SIGINT/SIGHUP) write a goroutine dump and the heap profile next to out=") {
        @Override void check(String v) { oneOf(v, List.of("crash")); }
    },
    TRACE("trace", "", "write an execution trace from start to exit to FILE (.trace Go, .perfetto-trace, .json)"),
    TRACE_MAX("trace.max", "64MiB", "memory cap of one trace (bytes, or with KiB/MiB/GiB)") {
        @Override void check(String v) { if (Sizes.parseBytes(v) <= 0) throw new IllegalArgumentException(); }
    },
    PUSH("push", "", "send every interval window to Grafana Pyroscope (http://host:4040, https://...) or as OTLP "
            + "profiles over HTTP (otlp+http://host:4318, otlp+https://...)") {
        @Override void check(String v) {
            URI uri = URI.create(v);
            if (uri.getScheme() != null && uri.getScheme().startsWith("otlp+grpc")) {
                throw new Expected("OTLP over gRPC is not supported; use otlp+http://host:4318");
            }
            // Credentials in the URL would show in ps and in every line naming the server: push.user and files.
            if (uri.getScheme() == null || !Set.of("http", "https", "otlp+http", "otlp+https").contains(uri.getScheme())
                    || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                throw new Expected("http(s)://host:port for Pyroscope, otlp+http(s)://host:port for OTLP");
            }
        }
    },
    PUSH_APP("push.app", "", "application name pushed: Pyroscope's series name, OTLP's service.name (default: the main class or jar name)") {
        @Override void check(String v) { if (!StaticLabels.isName(v)) throw new IllegalArgumentException(); }
    },
    PUSH_LABELS("push.labels", "", "static labels of every pushed profile: k=v;k2=v2") {
        @Override void check(String v) { StaticLabels.parse(v); }
    },
    PUSH_USER("push.user", "", "basic-auth user for push= (the password comes from push.password.file)"),
    PUSH_PASSWORD_FILE("push.password.file", "", "file holding the basic-auth password for push="),
    PUSH_TOKEN_FILE("push.token.file", "", "file holding a bearer token for push="),
    PUSH_TENANT("push.tenant", "", "Pyroscope tenant id, sent as the X-Scope-OrgID header") {
        @Override void check(String v) { if (!StaticLabels.isValue(v)) throw new IllegalArgumentException(); }
    },
    EXIT_TIMEOUT("exit.timeout", "5s", "the most diag adds to the JVM's exit to write what it has; then it gives up "
            + "and names what was not written (Go duration)") {
        @Override void check(String v) { positiveDuration(v); }
    },
    LOG("log", "info", "quiet, info or debug") {
        @Override void check(String v) { oneOf(v, List.of("quiet", "info", "debug")); }
    };

    private static final String GO_DURATION = "a Go duration such as 500ms, 10s or 1m";

    /** Names accepted in {@code profiles}. */
    public static final Set<String> PROFILE_NAMES =
            Set.of("cpu", "heap", "allocs", "block", "mutex", "goroutine", "threadcreate", "wall");

    private final String key;
    private final String defaultValue;
    private final String help;

    OptionKey(String key, String defaultValue, String help) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.help = help;
    }

    public String key() { return key; }

    /** Returns the default, or "" when the feature is off unless set. */
    public String defaultValue() { return defaultValue; }

    public String help() { return help; }

    /**
     * Returns whether the value is a secret: {@link Options} shows it as {@code <redacted>} wherever options are shown
     * or published, and hands the value itself only to the code that checks it.
     */
    public boolean isSecret() {
        return false;
    }

    /** Throws when {@code value} is not acceptable for this key; the caller turns that into one clear line. */
    void check(String value) {
        if (value.isEmpty()) throw new IllegalArgumentException();
    }

    /** Returns the option with this key, or null. */
    public static OptionKey byKey(String key) {
        for (OptionKey k : values()) {
            if (k.key.equals(key)) return k;
        }
        return null;
    }

    /** Thrown by a check with what a value should look like, which the option's error message then shows. */
    static final class Expected extends IllegalArgumentException {
        Expected(String what) {
            super(what);
        }
    }

    private static void range(String v, long min, long max, String expected) {
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new Expected(expected);
        }
        if (n < min || n > max) throw new Expected(expected);
    }

    private static void oneOf(String v, List<String> allowed) {
        if (allowed.contains(v)) return;
        String near = Suggestions.closest(v, allowed);
        throw new Expected((near == null ? "" : "did you mean " + near + "? ") + "one of " + String.join(", ", allowed));
    }

    private static void positiveDuration(String v) {
        long n;
        try {
            n = GoDuration.parseNanos(v);
        } catch (RuntimeException e) {
            throw new Expected(GO_DURATION);
        }
        if (n <= 0) throw new Expected(GO_DURATION);
    }
}

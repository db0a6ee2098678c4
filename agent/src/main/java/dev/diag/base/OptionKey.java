package dev.diag.base;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Every agent option: its key, default, help text, and how its value is checked. {@code java -jar diag.jar help}
 * prints this table, so it is the single source of truth for what the agent accepts.
 */
public enum OptionKey {
    HTTP("http", "", "serve /debug/pprof and /debug/vars on HOST:PORT (or PORT, meaning 127.0.0.1)") {
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
        @Override void check(String v) { range(v, 1, Integer.MAX_VALUE); }
    },
    OUT_MAX("out.max", "", "delete the oldest interval windows in out= while they take more than SIZE (100MB, 1GiB)") {
        @Override void check(String v) { if (Sizes.parseBytes(v) <= 0) throw new IllegalArgumentException(); }
    },
    PROFILES("profiles", "cpu,allocs", "profiles recorded for out=/push=: cpu,heap,allocs,block,mutex,goroutine,threadcreate,wall") {
        @Override void check(String v) {
            for (String name : v.split(",")) {
                if (!PROFILE_NAMES.contains(name)) throw new IllegalArgumentException();
            }
        }
    },
    INTERVAL("interval", "", "continuous profiling: start a recording every INTERVAL (Go duration: 10s, 1m; 0 = off)") {
        @Override void check(String v) { if (GoDuration.parseNanos(v) < 0) throw new IllegalArgumentException(); }
    },
    DURATION("duration", "", "continuous profiling: length of each recording (default: the interval)") {
        @Override void check(String v) { positiveDuration(v); }
    },
    CPU_HZ("cpu.hz", "100", "CPU sampling rate in Hz (1..1000)") {
        @Override void check(String v) { range(v, 1, 1000); }
    },
    ENGINE("engine", "auto", "where cpu and allocs samples come from: async-profiler (the native sampler in diag.jar), "
            + "jfr, or auto (async-profiler where it loads, else JFR)") {
        @Override void check(String v) {
            if (!Set.of("auto", "async-profiler", "jfr").contains(v)) throw new IllegalArgumentException();
        }
    },
    WALL_INTERVAL("wall.interval", "20ms", "wall profile: wall-clock time between two samples of a thread (Go duration, "
            + "1ms..1s)") {
        @Override void check(String v) {
            long n = GoDuration.parseNanos(v);
            if (n < 1_000_000L || n > 1_000_000_000L) throw new IllegalArgumentException();
        }
    },
    BLOCK_RATE("block.rate", "0", "as runtime.SetBlockProfileRate: ns of blocking per sample (1 = every event, 0 = off)") {
        @Override void check(String v) { range(v, 0, Long.MAX_VALUE); }
    },
    MUTEX_FRACTION("mutex.fraction", "0", "as runtime.SetMutexProfileFraction: record 1/N of contention events (0 = off)") {
        @Override void check(String v) { range(v, 0, Integer.MAX_VALUE); }
    },
    ALLOC_RATE("alloc.rate", "524288", "period of heap and allocs profiles, as runtime.MemProfileRate: mean bytes between two allocation samples") {
        @Override void check(String v) { range(v, 1, Long.MAX_VALUE); }
    },
    TRACE("trace", "", "write an execution trace from start to exit to FILE (.trace Go, .perfetto-trace, .json)"),
    TRACE_MAX("trace.max", "64MiB", "memory cap of one trace (bytes, or with KiB/MiB/GiB)") {
        @Override void check(String v) { if (Sizes.parseBytes(v) <= 0) throw new IllegalArgumentException(); }
    },
    PUSH("push", "", "send every interval window to Grafana Pyroscope at this URL (http://host:4040, https://...)") {
        @Override void check(String v) {
            URI uri = URI.create(v);
            // Credentials in the URL would show in ps and in every line naming the server: push.user and files.
            if (uri.getScheme() == null || !Set.of("http", "https").contains(uri.getScheme()) || uri.getHost() == null
                    || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException();
            }
        }
    },
    PUSH_APP("push.app", "", "application name pushed to Pyroscope (default: the main class or jar name)") {
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
        @Override void check(String v) { Log.Level.valueOf(v.toUpperCase(Locale.ROOT)); }
    };

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

    private static void range(String v, long min, long max) {
        long n = Long.parseLong(v.trim());
        if (n < min || n > max) throw new IllegalArgumentException();
    }

    private static void positiveDuration(String v) {
        if (GoDuration.parseNanos(v) <= 0) throw new IllegalArgumentException();
    }
}

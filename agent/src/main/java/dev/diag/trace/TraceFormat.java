package dev.diag.trace;

import java.util.Locale;

/** The three encodings of a trace, chosen by file extension ({@code trace=FILE}) or {@code ?format=} (HTTP). */
public enum TraceFormat {
    /** Go's execution trace, for {@code go tool trace}: the default of {@code /debug/pprof/trace}. */
    GO,
    /** Perfetto protobuf, for ui.perfetto.dev and trace_processor. */
    PERFETTO,
    /** Chrome trace-event JSON. */
    JSON;

    /** Returns the format a file name asks for: {@code .json}, {@code .perfetto-trace}/{@code .pftrace}, else Go's. */
    public static TraceFormat ofFile(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.endsWith(".json")) return JSON;
        if (n.endsWith(".perfetto-trace") || n.endsWith(".pftrace") || n.endsWith(".perfetto")) return PERFETTO;
        return GO;
    }

    /** Returns the format named by an HTTP {@code format} parameter ({@code go}, {@code perfetto}, {@code json}), or null. */
    public static TraceFormat ofParameter(String value) {
        if (value == null || value.isEmpty() || value.equals("go")) return GO;
        if (value.equals("perfetto")) return PERFETTO;
        if (value.equals("json")) return JSON;
        return null;
    }

    /** Encodes {@code t} in this format. */
    public byte[] encode(Timeline t) {
        return switch (this) {
            case GO -> GoTraceEncoder.encode(t);
            case PERFETTO -> PerfettoEncoder.encode(t);
            case JSON -> ChromeJsonEncoder.encode(t);
        };
    }

    /** Returns the content type an HTTP answer in this format carries. */
    public String contentType() {
        return this == JSON ? "application/json" : "application/octet-stream";
    }
}

package dev.diag.trace;

import dev.diag.hook.LabelSet;
import dev.diag.json.JsonString;
import dev.diag.trace.Timeline.Block;
import dev.diag.trace.Timeline.ThreadTrack;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Encodes a {@link Timeline} in Chrome's trace-event JSON ({@code .json}; chrome://tracing, ui.perfetto.dev,
 * speedscope): the same content as the Perfetto encoding, as complete ("X") events, instants, async task events,
 * flow events from waker to wait, and a heap counter; the "GC" row holds cycles, pauses and concurrent phases.
 * Times are microseconds since the trace start. Profile labels are, as in the Perfetto encoding, an object
 * {@code "labels"} in the args of regions, waits and CPU samples, and instants "labels {...}" where they change.
 */
public final class ChromeJsonEncoder {
    /** Pseudo thread id of the GC row. */
    private static final long GC_TID = 0;

    private final Timeline t;
    private final StringBuilder sb = new StringBuilder(1 << 16);
    private boolean firstEvent = true;

    private ChromeJsonEncoder(Timeline t) {
        this.t = t;
    }

    /** Returns the JSON file bytes (UTF-8). */
    public static byte[] encode(Timeline t) {
        return new ChromeJsonEncoder(t).run();
    }

    private byte[] run() {
        sb.append("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"diag\"");
        if (t.note != null) sb.append(",\"note\":").append(str("diag: " + t.note));
        sb.append("},\"traceEvents\":[\n");
        meta("process_name", -1, t.processName);
        meta("thread_name", GC_TID, "GC");
        for (ThreadTrack tr : t.threads.values()) meta("thread_name", tr.id, tr.virtual ? "VirtualThread[#" + tr.id + "] " + tr.name : tr.name);
        long flow = 1;
        for (ThreadTrack tr : t.threads.values()) {
            for (Timeline.Region r : tr.regions) {
                complete(tr.id, r.name(), "region", r.begin(), r.end(), "\"task\":" + r.task()
                        + (r.stack().length == 0 ? "" : ",\"stack\":" + str(PerfettoEncoder.stackText(r.stack())))
                        + labelsArg(r.labels()));
            }
            for (Block b : tr.blocks) {
                complete(tr.id, b.kind().label(), "state", b.begin(), b.end(),
                        "\"stack\":" + str(PerfettoEncoder.stackText(b.stack())) + labelsArg(tr.labelsAt(b.begin())));
                if (b.waker() != 0 && t.threads.containsKey(b.waker())) {
                    long at = Math.max(b.begin(), b.end() - 1);
                    complete(b.waker(), "wake " + tr.name, "wakeup", at, at, null);
                    event("{\"name\":\"wakeup\",\"cat\":\"wakeup\",\"ph\":\"s\",\"id\":" + flow + ",\"pid\":" + t.pid
                            + ",\"tid\":" + b.waker() + ",\"ts\":" + us(at) + "}");
                    event("{\"name\":\"wakeup\",\"cat\":\"wakeup\",\"ph\":\"f\",\"bp\":\"e\",\"id\":" + flow + ",\"pid\":"
                            + t.pid + ",\"tid\":" + tr.id + ",\"ts\":" + us(b.end()) + "}");
                    flow++;
                }
            }
            for (Timeline.LogEntry l : tr.logs) {
                instant(tr.id, l.category() + "=" + l.message(), "log", l.ts(),
                        "\"category\":" + str(l.category()) + ",\"message\":" + str(l.message()));
            }
            for (Timeline.LabelChange c : tr.labelChanges) {
                instant(tr.id, "labels " + c.labels(), TraceLabels.LOG_CATEGORY, c.ts(),
                        "\"task\":" + c.task() + labelsArg(c.labels()));
            }
            for (Timeline.Sample s : tr.samples) {
                instant(tr.id, "cpu sample", "cpu", s.ts(), "\"stack\":" + str(PerfettoEncoder.stackText(s.stack()))
                        + labelsArg(tr.labelsAt(s.ts())));
            }
        }
        for (Timeline.TaskSpan task : t.tasks) {
            String common = ",\"cat\":\"task\",\"id\":" + task.id() + ",\"pid\":" + t.pid + ",\"tid\":" + task.creator();
            event("{\"name\":" + str(task.name()) + ",\"ph\":\"b\"" + common + ",\"ts\":" + us(task.begin())
                    + ",\"args\":{\"parent\":" + task.parent() + "}}");
            event("{\"name\":" + str(task.name()) + ",\"ph\":\"e\"" + common + ",\"ts\":" + us(task.end()) + "}");
        }
        for (Timeline.Gc gc : t.gcs) complete(GC_TID, gc.name(), "gc", gc.begin(), gc.end(), null);
        for (Timeline.Gc p : t.pauses) complete(GC_TID, "STW " + p.name(), "gc", p.begin(), p.end(), null);
        for (Timeline.ConcurrentPhase p : t.concurrentPhases) {
            complete(GC_TID, p.name(), "gc.concurrent", p.begin(), p.end(), "\"level\":" + p.level());
        }
        for (Timeline.HeapPoint h : t.heap) {
            event("{\"name\":\"Heap used\",\"ph\":\"C\",\"pid\":" + t.pid + ",\"ts\":" + us(h.ts())
                    + ",\"args\":{\"bytes\":" + h.bytes() + "}}");
        }
        sb.append("\n]}\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Returns {@code ,"labels":{"k":"v",...}} to append to args, or nothing for no labels. */
    private static String labelsArg(LabelSet labels) {
        if (labels.size() == 0) return "";
        StringBuilder b = new StringBuilder(",\"labels\":{");
        for (int i = 0; i < labels.size(); i++) {
            if (i > 0) b.append(',');
            b.append(str(labels.key(i))).append(':').append(str(labels.value(i)));
        }
        return b.append('}').toString();
    }

    private void meta(String what, long tid, String name) {
        event("{\"name\":\"" + what + "\",\"ph\":\"M\",\"pid\":" + t.pid + (tid < 0 ? "" : ",\"tid\":" + tid)
                + ",\"args\":{\"name\":" + str(name) + "}}");
    }

    private void complete(long tid, String name, String cat, long begin, long end, String args) {
        event("{\"name\":" + str(name) + ",\"cat\":\"" + cat + "\",\"ph\":\"X\",\"pid\":" + t.pid + ",\"tid\":" + tid
                + ",\"ts\":" + us(begin) + ",\"dur\":" + dur(end - begin)
                + (args == null ? "" : ",\"args\":{" + args + "}") + "}");
    }

    private void instant(long tid, String name, String cat, long ts, String args) {
        event("{\"name\":" + str(name) + ",\"cat\":\"" + cat + "\",\"ph\":\"i\",\"s\":\"t\",\"pid\":" + t.pid
                + ",\"tid\":" + tid + ",\"ts\":" + us(ts) + ",\"args\":{" + args + "}}");
    }

    private void event(String json) {
        if (!firstEvent) sb.append(",\n");
        firstEvent = false;
        sb.append(json);
    }

    private String us(long ts) {
        return dur(ts - t.start);
    }

    private static String dur(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1000.0);
    }

    static String str(String s) {
        return s == null ? "null" : JsonString.of(s);
    }
}

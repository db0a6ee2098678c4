package dev.diag.trace;

import dev.diag.base.AtomicFile;
import dev.diag.base.FileErrors;
import dev.diag.base.Log;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The {@code trace=FILE} option: one trace from start-up to exit, written at exit in the format the file's extension
 * names, with {@link AtomicFile} (whole or not at all, mode 0600).
 */
public final class TraceFile {
    private final Path file;
    private final TraceRecorder recorder;

    private TraceFile(Path file, TraceRecorder recorder) {
        this.file = file;
        this.recorder = recorder;
    }

    /**
     * Starts tracing into {@code file}; returns null (after one {@code diag:} line) when that is impossible, such as
     * a directory that is missing, read-only or not writable: found now rather than after the whole run.
     */
    public static TraceFile start(Path file, long maxBytes, TraceSources sources) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            AtomicFile.checkWritable(dir);
        } catch (IOException | RuntimeException e) {
            Log.error("trace: cannot write to " + Log.abbreviate(dir) + ": " + FileErrors.describe(e)
                    + "; tracing is off");
            return null;
        }
        TraceRecorder r = TraceRecorder.start(maxBytes, sources, true);
        if (r == null) {
            Log.error("trace: tracing is already enabled; trace=" + Log.abbreviate(file) + " is off");
            return null;
        }
        return new TraceFile(file, r);
    }

    /**
     * Stops tracing and writes the file, at JVM exit (after the agent waited for JFR's stream to catch up). Never
     * throws: a failure is one {@code diag:} line.
     */
    public void stopAndWrite() {
        try {
            Timeline t = recorder.stop(true);
            byte[] bytes = TraceFormat.ofFile(file.getFileName().toString()).encode(t);
            AtomicFile.write(file, out -> out.write(bytes));
            if (t.note != null) Log.info("trace " + Log.abbreviate(file) + ": " + t.note);
        } catch (IOException | RuntimeException e) {
            Log.error("trace: cannot write " + Log.abbreviate(file) + ": " + FileErrors.describe(e));
        }
    }
}

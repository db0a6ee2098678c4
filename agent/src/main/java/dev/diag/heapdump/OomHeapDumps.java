package dev.diag.heapdump;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import dev.diag.base.FileErrors;
import dev.diag.base.Log;
import dev.diag.base.OptionKey;
import dev.diag.base.Options;
import dev.diag.feature.Feature;
import dev.diag.feature.FeatureContext;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code heapdump.on=oom}: the JVM's own heap dump at the first {@code OutOfMemoryError}, turned on at run time through
 * its manageable flags ({@code HeapDumpOnOutOfMemoryError}, {@code HeapDumpPath}), as {@code -XX:} would at launch.
 * The JVM writes the dump itself, from the thread that ran out of memory, before the error reaches the application;
 * diag only says where, once, at start. A dump the command line already asked for is left as it is.
 */
public final class OomHeapDumps implements Feature {
    @Override
    public String name() {
        return "heap dump on OutOfMemoryError";
    }

    @Override
    public void start(FeatureContext context) {
        Options options = context.options();
        if (!options.isSet(OptionKey.HEAPDUMP_ON)) return;
        HotSpotDiagnosticMXBean vm;
        try {
            vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        } catch (RuntimeException | LinkageError e) {
            Log.error("heapdump.on=oom is off: this JVM has no HotSpot diagnostic bean (" + e + ")");
            return;
        }
        if (vm == null) {
            Log.error("heapdump.on=oom is off: this JVM has no HotSpot diagnostic bean");
            return;
        }
        VMOption already = vm.getVMOption("HeapDumpOnOutOfMemoryError");
        if ("true".equals(already.getValue()) && already.getOrigin() != VMOption.Origin.DEFAULT) {
            String path = vm.getVMOption("HeapDumpPath").getValue();
            Log.info("heapdump.on=oom: the JVM already dumps the heap on OutOfMemoryError"
                    + (path.isEmpty() ? " into its working directory" : " to " + path) + "; left as it is");
            return;
        }
        Path dir = Path.of(options.isSet(OptionKey.HEAPDUMP_DIR) ? options.get(OptionKey.HEAPDUMP_DIR)
                : options.isSet(OptionKey.OUT) ? options.get(OptionKey.OUT) : ".").toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
            if (!Files.isWritable(dir)) throw new java.nio.file.AccessDeniedException(dir.toString());
        } catch (Exception e) {
            Log.error("heapdump.on=oom is off: cannot write to " + dir + ": " + FileErrors.describe(e));
            return;
        }
        Path file = dir.resolve("java_pid" + ProcessHandle.current().pid() + ".hprof");
        try {
            vm.setVMOption("HeapDumpPath", file.toString());
            vm.setVMOption("HeapDumpOnOutOfMemoryError", "true");
        } catch (RuntimeException e) {
            Log.error("heapdump.on=oom is off: the JVM refused its heap dump flags (" + e.getMessage() + ")");
            return;
        }
        Log.info("on OutOfMemoryError the heap is dumped to " + file);
    }
}

package dev.diag.threads;

import dev.diag.base.AtomicFile;
import dev.diag.base.FileErrors;
import dev.diag.base.Log;
import dev.diag.base.OptionKey;
import dev.diag.base.Options;
import dev.diag.drain.RingDrainer;
import dev.diag.feature.Feature;
import dev.diag.feature.FeatureContext;
import dev.diag.hook.LockOrderHook;
import dev.diag.lockorder.LockOrderGraph;
import dev.diag.ring.RecordType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code lockorder=1}: the hooks follow lock order from the start ({@code dev.diag.hook.LockOrderHook}, turned on with
 * the hooks); this says so once, on stderr, at the first pair of locks taken in opposite orders, publishes the graph's
 * counters, and writes {@value #FILE} into {@code out=} at exit. The report itself is {@link LockOrderReport}.
 */
public final class LockOrderFeature implements Feature {
    static final String FILE = "lockorder.txt";

    private final RingDrainer drainer;
    private final AtomicBoolean told = new AtomicBoolean();

    public LockOrderFeature(RingDrainer drainer) {
        this.drainer = drainer;
    }

    @Override
    public String name() {
        return "lockorder";
    }

    @Override
    public void start(FeatureContext context) {
        Options options = context.options();
        if (options.getLong(OptionKey.LOCKORDER) != 1) return;
        drainer.subscribe(r -> {
            if (r.type() == RecordType.LOCK_ORDER && told.compareAndSet(false, true)) tellFirst(r.extra1(), r.extra2());
        });
        context.addCounter("lockorder.locks", LockOrderGraph::nodes);
        context.addCounter("lockorder.inversions", LockOrderGraph::inversions);
        context.addCounter("lockorder.locks_dropped", LockOrderGraph::nodesDropped);
        context.addCounter("lockorder.orders_dropped", LockOrderGraph::edgesDropped);
        context.addCounter("lockorder.untracked", LockOrderHook::untracked);
        if (options.isSet(OptionKey.OUT)) {
            Path file = Path.of(options.get(OptionKey.OUT)).resolve(FILE);
            context.onStop(() -> write(file));
        }
    }

    /** One line at the first inversion: the threads of both orders, and where to read the stacks. */
    private static void tellFirst(long from, long to) {
        int earlier = LockOrderGraph.findEdge((int) to, (int) from);
        int later = LockOrderGraph.findEdge((int) from, (int) to);
        Log.info("lockorder: potential deadlock: goroutine " + thread(later) + " took two locks in the order opposite to "
                + "goroutine " + thread(earlier) + "'s; the stacks are at /debug/pprof/lockorder (http=) and in "
                + FILE + " (out=)");
    }

    private static String thread(int edge) {
        return edge < 0 ? "?" : LockOrderGraph.edgeThreadId(edge) + " \""
                + Log.abbreviate(LockOrderGraph.edgeThreadName(edge)) + "\"";
    }

    private static void write(Path file) {
        if (!java.nio.file.Files.isDirectory(file.getParent())) return; // out= is off: its own line said why
        byte[] text = LockOrderReport.write().getBytes(StandardCharsets.UTF_8);
        try {
            AtomicFile.write(file, out -> out.write(text));
        } catch (IOException e) {
            Log.error("cannot write " + Log.abbreviate(file) + ": " + FileErrors.describe(e));
        }
    }
}

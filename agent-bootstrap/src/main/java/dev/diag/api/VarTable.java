package dev.diag.api;

import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * The published variables by name, bounded: past {@code max} names a publication is dropped and counted rather than
 * kept, so that an application publishing a name per request cannot grow diag's page (and its own heap) without end.
 * Publishing is rare and takes a lock; reading by name and walking in name order take none.
 */
final class VarTable {
    /** Keys {@code /debug/vars} already has: Go's own two and diag's two. */
    static final Set<String> RESERVED = Set.of("cmdline", "memstats", "jvm", "diag");

    private final int max;
    private final ConcurrentSkipListMap<String, Vars.Var> byName = new ConcurrentSkipListMap<>();
    private final LongAdder dropped = new LongAdder();
    private int size; // guarded by byName

    VarTable(int max) {
        this.max = max;
    }

    /**
     * Publishes {@code v} under {@code name}, or counts it as dropped when the table is full.
     *
     * @throws IllegalArgumentException if the name is null, empty, reserved or already published (Go panics)
     */
    void publish(String name, Vars.Var v) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("a var needs a name");
        if (v == null) throw new IllegalArgumentException("a null var cannot be published: " + name);
        if (RESERVED.contains(name)) {
            throw new IllegalArgumentException("Reuse of exported var name: " + name + " (/debug/vars has it already)");
        }
        synchronized (byName) {
            if (byName.containsKey(name)) throw new IllegalArgumentException("Reuse of exported var name: " + name);
            if (size >= max) {
                dropped.increment();
                return;
            }
            byName.put(name, v);
            size++;
        }
    }

    Vars.Var get(String name) {
        return name == null ? null : byName.get(name);
    }

    /** Calls {@code action} for each variable in name order; one published meanwhile may or may not be seen. */
    void each(BiConsumer<String, Vars.Var> action) {
        byName.forEach(action);
    }

    long dropped() {
        return dropped.sum();
    }
}

package dev.diag.api;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The application's own variables on {@code /debug/vars}, as Go's {@code expvar}: counters, gauges, strings, maps of
 * counters and computed values, each a top-level key of the page beside {@code cmdline} and {@code memstats}, in name
 * order:
 *
 * <pre>{@code
 * static final Vars.Int REQUESTS = Vars.newInt("requests");
 * static final Vars.Map BY_STATUS = Vars.newMap("responses");
 * static { Vars.publish("queue", () -> List.of(queue.size(), queue.remainingCapacity())); }
 *
 * void handle(Request r) {
 *     REQUESTS.add(1);                                   // a LongAdder: no lock, no allocation
 *     BY_STATUS.add(Integer.toString(status), 1);
 * }
 * }</pre>
 *
 * {@code curl -s http://127.0.0.1:6060/debug/vars} then shows {@code "requests": 42, "responses": {"200": 40,
 * "404": 2}, "queue": [3,97]}. A name is published once per JVM, as Go panics on a second {@code Publish}; the keys the
 * page has already ({@code cmdline}, {@code memstats}, {@code jvm}, {@code diag}) are refused too. Works without diag:
 * the values are kept and nothing serves them. At most {@value #MAX_VARS} names are published: past that a publication
 * is dropped (the variable still works, unseen) and counted in {@code vars.dropped} of diag's own counters.
 */
public final class Vars {
    /** The most names published in one JVM (per copy of this class); more are counted, not kept. */
    public static final int MAX_VARS = 10_000;
    /** The most keys of one {@link Map}; a new key past that is counted in {@code vars.map_keys_dropped}. */
    public static final int MAX_MAP_KEYS = 10_000;

    private static final VarTable TABLE = new VarTable(MAX_VARS);
    private static final LongAdder MAP_KEYS_DROPPED = new LongAdder();
    /**
     * Each class of this copy is loaded with it, by its loader (see HookLink): in an application's own copy, a class
     * first resolved after diag was attached would come from diag's copy in the bootstrap loader, whose package-private
     * members this copy may not use and whose types are not this copy's (IllegalAccessError, LinkageError).
     */
    private static final Class<?>[] LOADED_WITH_THIS_CLASS = {Var.class, Func.class, Int.class, Float.class,
            StringVar.class, Map.class, VarTable.class, VarJson.class, VarJson.Digits.class};

    private Vars() {}

    /** A value on the page: its {@link #json()} must be one valid JSON value, as Go's {@code Var.String}. */
    public interface Var {
        String json();
    }

    /**
     * A value computed each time the page is read, as Go's {@code expvar.Func}: numbers, strings, booleans,
     * {@code java.util.Map}s (keys sorted), lists, arrays and null are written as JSON; anything else as its
     * {@code toString()}. A Func that throws shows as the string {@code "Func failed: <exception>"}; the page is served.
     * It runs on an HTTP thread while a request waits: keep it quick.
     */
    @FunctionalInterface
    public interface Func extends Var {
        Object value();

        @Override
        default String json() {
            return VarJson.ofFunc(this);
        }
    }

    /** Publishes a new {@link Int} under {@code name}; see {@link #publish(String, Var)}. */
    public static Int newInt(String name) {
        return published(name, new Int());
    }

    /** Publishes a new {@link Float} under {@code name}; see {@link #publish(String, Var)}. */
    public static Float newFloat(String name) {
        return published(name, new Float());
    }

    /** Publishes a new {@link StringVar} (Go's {@code expvar.String}) under {@code name}. */
    public static StringVar newString(String name) {
        return published(name, new StringVar());
    }

    /** Publishes a new {@link Map} under {@code name}; see {@link #publish(String, Var)}. */
    public static Map newMap(String name) {
        return published(name, new Map());
    }

    private static <V extends Var> V published(String name, V v) {
        TABLE.publish(name, v);
        return v;
    }

    /**
     * Publishes {@code v} under {@code name}, as Go's {@code expvar.Publish}. Past {@value #MAX_VARS} names it is
     * dropped and counted instead.
     *
     * @throws IllegalArgumentException if the name is empty, already published, or one of the page's own keys
     */
    public static void publish(String name, Var v) {
        TABLE.publish(name, v);
    }

    /** Publishes a computed value under {@code name}; as {@link #publish(String, Var)}. */
    public static void publish(String name, Func f) {
        TABLE.publish(name, f);
    }

    /** Returns the variable published under {@code name}, or null, as Go's {@code expvar.Get}. */
    public static Var get(String name) {
        return TABLE.get(name);
    }

    /** Calls {@code action} with each published variable in name order, as Go's {@code expvar.Do}. */
    public static void each(BiConsumer<String, Var> action) {
        TABLE.each(action);
    }

    /** Returns how many publications were dropped because {@value #MAX_VARS} names were published already. */
    public static long droppedVars() {
        return TABLE.dropped();
    }

    /** Returns how many new keys were dropped by maps that held {@value #MAX_MAP_KEYS} keys already. */
    public static long droppedMapKeys() {
        return MAP_KEYS_DROPPED.sum();
    }

    /**
     * A 64-bit counter or gauge, as Go's {@code expvar.Int}. {@link #add} is a {@link LongAdder}'s: threads adding at
     * once each write a cell of their own rather than contend on one word (BENCHMARKS.md, "Application vars").
     */
    public static final class Int implements Var {
        private final LongAdder value = new LongAdder();

        public void add(long delta) {
            value.add(delta);
        }

        /**
         * Sets the value. Serialised with other sets: a reader sees the old value or the new one, never a mix; an add
         * running at the same moment lands before or after the set, as it would with Go's atomic store.
         */
        public synchronized void set(long v) {
            value.add(v - value.sum());
        }

        /** Returns the sum of what was added; while other threads add, the value at some moment during the call. */
        public long value() {
            return value.sum();
        }

        @Override
        public String json() {
            return Long.toString(value());
        }
    }

    /** A 64-bit floating-point value, as Go's {@code expvar.Float}: adds are compare-and-set on its bits. */
    public static final class Float implements Var {
        private final AtomicLong bits = new AtomicLong(Double.doubleToRawLongBits(0.0));

        public void add(double delta) {
            long old;
            do {
                old = bits.get();
            } while (!bits.compareAndSet(old, Double.doubleToRawLongBits(Double.longBitsToDouble(old) + delta)));
        }

        public void set(double v) {
            bits.set(Double.doubleToRawLongBits(v));
        }

        public double value() {
            return Double.longBitsToDouble(bits.get());
        }

        /** As Go's {@code strconv.FormatFloat(v, 'g', -1, 64)}; NaN and the infinities, which JSON has not, as null. */
        @Override
        public String json() {
            return VarJson.goFloat(value());
        }
    }

    /** A string, as Go's {@code expvar.String}; null reads as the empty string. */
    public static final class StringVar implements Var {
        private volatile String value = "";

        public void set(String v) {
            value = v == null ? "" : v;
        }

        public String value() {
            return value;
        }

        @Override
        public String json() {
            return VarJson.quote(value);
        }
    }

    /**
     * A map from string keys to variables, as Go's {@code expvar.Map}, written with its keys sorted. Adding to a key
     * that exists costs a hash lookup and the {@link Int}'s add; a new key takes a lock. At most
     * {@value #MAX_MAP_KEYS} keys: a new key past that is dropped (its add does nothing) and counted.
     */
    public static final class Map implements Var {
        private final int maxKeys;
        private final ConcurrentHashMap<String, Var> vars = new ConcurrentHashMap<>();

        public Map() {
            this(MAX_MAP_KEYS);
        }

        Map(int maxKeys) {
            this.maxKeys = maxKeys;
        }

        /** Adds {@code delta} to the {@link Int} at {@code key}, made at 0 if absent; a key holding another kind of
         *  variable is left as it is, as in Go. */
        public void add(String key, long delta) {
            Var v = vars.get(key);
            if (v == null) v = insert(key, Int::new);
            if (v instanceof Int) ((Int) v).add(delta);
        }

        /** Adds {@code delta} to the {@link Float} at {@code key}, made at 0 if absent; as {@link #add}. */
        public void addFloat(String key, double delta) {
            Var v = vars.get(key);
            if (v == null) v = insert(key, Float::new);
            if (v instanceof Float) ((Float) v).add(delta);
        }

        /** Puts {@code v} at {@code key}, replacing what was there. */
        public void set(String key, Var v) {
            if (v == null) throw new IllegalArgumentException("a null var cannot be set: " + key);
            if (vars.containsKey(key)) {
                vars.put(key, v);
            } else {
                insert(key, () -> v);
                vars.replace(key, v); // another thread inserted first: the set still wins, as Go's
            }
        }

        /** Returns the variable at {@code key}, or null. */
        public Var get(String key) {
            return vars.get(key);
        }

        /** Removes {@code key}, as Go's {@code Delete}. */
        public void delete(String key) {
            vars.remove(key);
        }

        /** Calls {@code action} for each key in key order, as Go's {@code Map.Do}. */
        public void each(BiConsumer<String, Var> action) {
            Object[] keys = vars.keySet().toArray();
            java.util.Arrays.sort(keys);
            for (Object k : keys) {
                Var v = vars.get(k);
                if (v != null) action.accept((String) k, v);
            }
        }

        private Var insert(String key, Supplier<Var> make) {
            synchronized (this) {
                Var v = vars.get(key);
                if (v != null) return v;
                if (vars.size() >= maxKeys) {
                    MAP_KEYS_DROPPED.increment();
                    return null;
                }
                v = make.get();
                vars.put(key, v);
                return v;
            }
        }

        /** {@code {"k1": v1, "k2": v2}}, keys sorted, as Go's {@code Map.String}. */
        @Override
        public String json() {
            StringBuilder sb = new StringBuilder("{");
            each((k, v) -> {
                if (sb.length() > 1) sb.append(", ");
                VarJson.quote(sb, k);
                sb.append(": ").append(v.json());
            });
            return sb.append('}').toString();
        }
    }
}

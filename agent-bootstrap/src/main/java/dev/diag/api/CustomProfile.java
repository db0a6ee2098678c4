package dev.diag.api;

import dev.diag.stack.StackCapture;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A profile of your own, as Go's {@code pprof.NewProfile}: a set of live values (open connections, checked-out
 * buffers, pending requests), each remembered with the stack that added it. diag serves it beside the built-in
 * profiles, at {@code /debug/pprof/NAME} ({@code debug=0} protobuf, {@code debug=1} text) and on the index page:
 *
 * <pre>{@code
 * static final CustomProfile OPEN_FILES = CustomProfile.create("example.com/openfiles");
 *
 * Handle open(String path) {
 *     Handle h = ...;
 *     OPEN_FILES.add(h);      // remembers this stack
 *     return h;
 * }
 * void close(Handle h) {
 *     OPEN_FILES.remove(h);
 *     ...
 * }
 * }</pre>
 *
 * {@code go tool pprof http://127.0.0.1:6060/debug/pprof/example.com/openfiles} then shows where the open files were
 * opened, counted by stack (sample type {@code NAME/count}, as Go's). Values are compared by identity and held
 * strongly until removed, as Go's map holds them. Works without diag too: nothing serves it then, and values added
 * before diag is attached are counted without a stack.
 */
public final class CustomProfile {
    /** Names Go's own profiles and the endpoints beside them use. */
    private static final Set<String> RESERVED = Set.of("goroutine", "threadcreate", "heap", "allocs", "block",
            "mutex", "profile", "trace", "cmdline", "symbol", "cpu");
    private static final Map<String, CustomProfile> BY_NAME = new ConcurrentHashMap<>();

    // HookLink and Identity are loaded with this class, by its loader (see HookLink).
    private static final Class<?> LOADED_WITH_THIS_CLASS = Identity.class;

    static {
        HookLink.load();
    }

    private final String name;
    private final Map<Identity, Integer> stackIds = new ConcurrentHashMap<>();

    private CustomProfile(String name) {
        this.name = name;
    }

    /**
     * Creates the profile {@code name}; as {@code pprof.NewProfile}, a name may be used once per JVM.
     *
     * @throws IllegalArgumentException if the name is empty, is a built-in profile's, or is already in use
     */
    public static CustomProfile create(String name) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("a profile needs a name");
        if (RESERVED.contains(name)) throw new IllegalArgumentException("profile name is built in: " + name);
        CustomProfile p = new CustomProfile(name);
        if (BY_NAME.putIfAbsent(name, p) != null) {
            throw new IllegalArgumentException("profile name already in use: " + name);
        }
        return p;
    }

    /** Returns the profile created with this name, or null. */
    public static CustomProfile lookup(String name) {
        return name == null ? null : BY_NAME.get(name);
    }

    /** Returns every custom profile, sorted by name. */
    public static List<CustomProfile> all() {
        List<CustomProfile> out = new ArrayList<>(BY_NAME.values());
        out.sort((a, b) -> a.name.compareTo(b.name));
        return Collections.unmodifiableList(out);
    }

    /** Returns the profile's name. */
    public String name() {
        return name;
    }

    /**
     * Adds {@code value} with the caller's stack.
     *
     * @throws IllegalArgumentException if {@code value} is null or already in the profile (as Go's {@code Add} panics)
     */
    public void add(Object value) {
        if (value == null) throw new IllegalArgumentException("a null value cannot be profiled");
        if (stackIds.putIfAbsent(new Identity(value), callerStack()) != null) {
            throw new IllegalArgumentException("value already in profile " + name);
        }
    }

    private static int callerStack() {
        if (!HookLink.linked) return 0; // no diag yet: nothing to intern the stack in that diag would read
        try {
            return StackCapture.CALLER.captureId();
        } catch (LinkageError e) {
            return 0; // an application's copy of diag's classes, split by an attach (see HookLink): no stack
        }
    }

    /** Removes {@code value}; a value not in the profile is ignored, as in Go. */
    public void remove(Object value) {
        if (value != null) stackIds.remove(new Identity(value));
    }

    /** Returns how many values the profile holds. */
    public int count() {
        return stackIds.size();
    }

    /** Returns the stack id (in {@code StackTable.SHARED}) of every value held now; for diag's profile writer. */
    public int[] stackIds() {
        List<Integer> ids = new ArrayList<>(stackIds.values());
        int[] out = new int[ids.size()];
        for (int i = 0; i < out.length; i++) out[i] = ids.get(i);
        return out;
    }

    /** A key that compares its value by identity. */
    private static final class Identity {
        private final Object value;

        Identity(Object value) {
            this.value = value;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Identity && ((Identity) o).value == value;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(value);
        }
    }
}

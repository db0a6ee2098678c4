package dev.diag.pprof;

import dev.diag.api.CustomProfile;
import dev.diag.stack.Frame;
import dev.diag.stack.StackKey;
import dev.diag.stack.StackTable;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Serves the application's own profiles ({@link CustomProfile}, Go's {@code pprof.NewProfile}) as Go writes them: one
 * sample type {@code NAME/count}, the same period type, period 1, a sample per distinct stack counting its values.
 * They are created at any time, with or without diag, so the registry asks for them on each lookup: in diag's own
 * copy of the API and in each copy an application loaded from its class path before diag was attached (read by
 * reflection: that copy's classes are not diag's).
 */
public final class CustomProfiles {
    private static final Set<Class<?>> APPLICATION_COPIES = ConcurrentHashMap.newKeySet();
    /**
     * The stack of values added while no diag was in the JVM (an application's copy, before the attach): a sample
     * needs a location to be shown at all, and this one says why there is no other.
     */
    private static final Frame[] UNKNOWN_STACK = {new Frame("diag", "addedBeforeAttach", null, null, 0)};

    private CustomProfiles() {}

    /** Serves, from now on, the profiles of an application's own copy of {@code dev.diag.api.CustomProfile}. */
    public static void serveApplicationCopy(Class<?> customProfileClass) {
        APPLICATION_COPIES.add(customProfileClass);
    }

    /** Returns the custom profile {@code name} as a {@link Profile}, or null. */
    static Profile lookup(String name) {
        for (Profile p : all()) {
            if (p.name().equals(name)) return p;
        }
        return null;
    }

    /** Returns every custom profile as a {@link Profile}, sorted by name; a name in two copies once, diag's first. */
    static List<Profile> all() {
        Map<String, Profile> byName = new TreeMap<>();
        for (CustomProfile p : CustomProfile.all()) {
            byName.putIfAbsent(p.name(), new Served(p.name(), p::count, p::stackIds));
        }
        for (Class<?> copy : APPLICATION_COPIES) {
            try {
                Method name = copy.getMethod("name");
                Method count = copy.getMethod("count");
                Method stackIds = copy.getMethod("stackIds");
                for (Object p : (List<?>) copy.getMethod("all").invoke(null)) {
                    byName.putIfAbsent((String) name.invoke(p), new Served((String) name.invoke(p),
                            () -> (Integer) call(count, p, 0), () -> (int[]) call(stackIds, p, new int[0])));
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // a copy of another shape (another diag version): not served
            }
        }
        return new ArrayList<>(byName.values());
    }

    private static Object call(Method m, Object target, Object otherwise) {
        try {
            return m.invoke(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return otherwise;
        }
    }

    private static final class Served implements Profile {
        private final String name;
        private final IntSupplier count;
        private final Supplier<int[]> stackIds;

        Served(String name, IntSupplier count, Supplier<int[]> stackIds) {
            this.name = name;
            this.count = count;
            this.stackIds = stackIds;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int count() {
            return count.getAsInt();
        }

        @Override
        public ProfileData snapshot() {
            Map<Integer, long[]> byStack = new HashMap<>();
            for (int id : stackIds.get()) byStack.computeIfAbsent(id, k -> new long[1])[0]++;
            List<Sample> samples = new ArrayList<>();
            byStack.forEach((id, n) -> {
                StackKey stack = StackTable.SHARED.stack(id);
                samples.add(new Sample(stack == null ? UNKNOWN_STACK : stack.frames(), n));
            });
            ValueType type = GoProfiles.countPeriodType(name);
            return new ProfileData(List.of(type), null, type, 1, System.currentTimeMillis() * 1_000_000L, 0, samples,
                    List.of());
        }
    }
}

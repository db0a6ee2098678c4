package dev.diag.stack;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gives every class a small int id, unique for the life of the JVM and never reused, without holding the class:
 * the id lives in the class's own {@link ClassValue} map, so stack keys made of ids never keep a class loader alive.
 *
 * <p>{@link #of} is a few nanoseconds once a class has its id (a lookup in the class's cache, no allocation); the first
 * call for a class takes the {@code ClassValue} map's lock once.
 */
final class ClassIds {
    private static final AtomicInteger NEXT = new AtomicInteger(1);
    // An anonymous class, not a lambda: no invokedynamic links inside a hooked JDK method.
    private static final ClassValue<Integer> IDS = new ClassValue<Integer>() {
        @Override
        protected Integer computeValue(Class<?> type) {
            return NEXT.getAndIncrement();
        }
    };

    private ClassIds() {}

    /** Returns the id of {@code c} (&gt; 0). */
    static int of(Class<?> c) {
        return IDS.get(c);
    }
}

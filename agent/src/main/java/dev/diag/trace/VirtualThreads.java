package dev.diag.trace;

import java.lang.reflect.Method;

/** Tells virtual threads from platform threads on JDK 21+ while compiling for 17 (where none exist). */
final class VirtualThreads {
    private static final Method IS_VIRTUAL = find();

    private VirtualThreads() {}

    private static Method find() {
        try {
            return Thread.class.getMethod("isVirtual");
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    static boolean isVirtual(Thread t) {
        try {
            return IS_VIRTUAL != null && (Boolean) IS_VIRTUAL.invoke(t);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}

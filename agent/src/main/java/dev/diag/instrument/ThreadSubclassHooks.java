package dev.diag.instrument;

import dev.diag.hook.LabelHook;
import net.bytebuddy.jar.asm.ClassReader;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Passes a starter's labels to the threads of application classes that extend {@code Thread} and override
 * {@code run()}: the JVM calls a started thread's {@code run()} virtually, so a subclass whose {@code run()} does not
 * call {@code super.run()} never reaches {@code Thread.run()}, where {@link ThreadStartHooks} hands the labels over.
 * Its own {@code run()} gets the same call at entry ({@link LabelHook#onRunning}), which costs a started thread one
 * map emptiness check when no labelled thread started it (the only cost, once per thread: {@code run()} begins a
 * thread once). A subclass that does call {@code super.run()} takes the labels at its own {@code run()}'s entry; the
 * second call finds none left.
 *
 * <p>Which classes: application classes (not the boot or platform loader's, not diag's) whose super class is
 * {@code Thread} or a class seen here before as a subclass of it. A class file names only its direct super class,
 * and the JVM hands a class to the transformer before it loads that super class; so a subclass of an application
 * {@code Thread} subclass is hooked only when its super class was loaded first (as it is once any instance of it, or
 * of another subclass, exists). Classes already loaded when the hooks go in (an attach) are found by reflection.
 */
final class ThreadSubclassHooks implements HookedApi {
    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();
    /** Most application {@code Thread} subclasses remembered as super classes of others. */
    static final int MAX_KNOWN = 4096;

    private final Set<String> threadTypes = ConcurrentHashMap.newKeySet();

    ThreadSubclassHooks() {
        threadTypes.add(ThreadStartHooks.THREAD);
    }

    @Override
    public boolean hooksClass(String internalName, ClassLoader loader, Class<?> classBeingRedefined,
                              byte[] classFile) {
        if (loader == null || loader == PLATFORM || internalName.startsWith("dev/diag/")) return false;
        if (classBeingRedefined != null) return hooksLoadedClass(classBeingRedefined);
        String superName = superName(classFile);
        if (superName == null || !threadTypes.contains(superName)) return false;
        if (threadTypes.size() < MAX_KNOWN) threadTypes.add(internalName);
        return true;
    }

    /**
     * Returns the class file's super class, or null when it has none or ASM cannot read it (a class file newer than it
     * knows): every application class passes here, and one it cannot read is simply not hooked, with no {@code diag:}
     * line.
     */
    private static String superName(byte[] classFile) {
        try {
            return new ClassReader(classFile).getSuperName();
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    @Override
    public boolean hooksLoadedClass(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return loader != null && loader != PLATFORM && Thread.class.isAssignableFrom(type)
                && !type.getName().startsWith("dev.diag.");
    }

    /** Remembers the application {@code Thread} subclasses already loaded, for their subclasses defined later. */
    void learnLoaded(Class<?> type) {
        if (hooksLoadedClass(type) && threadTypes.size() < MAX_KNOWN) {
            threadTypes.add(type.getName().replace('.', '/'));
        }
    }

    @Override
    public Injection injectionFor(MethodFacts m) {
        return !m.isStatic() && m.name.equals("run") && m.descriptor.equals("()V") ? ThreadStartHooks.ON_RUN : null;
    }

    @Override
    public void preload() {
        LabelHook.onRunning(Thread.currentThread());
    }
}

package dev.diag.instrument;

import dev.diag.base.Log;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * Installs diag's hooks: one {@link HookTransformer} (retransform-capable, so the same path serves {@code -javaagent}
 * before {@code main} and an attach into a running JVM), then a retransformation of the hooked classes already
 * loaded ({@code Thread} and {@code LockSupport} always are). Done on the thread that starts diag, before the
 * application's {@code main}: about 0.1 s of wall time on a busy 2-core machine, most of it loading and verifying
 * the weaver's and ASM's classes and weaving the four JDK classes already loaded.
 */
public final class HookInstaller {
    private HookInstaller() {}

    /**
     * Installs every hook, the lock-order hooks only with {@code lockOrder} (an option fixed while diag runs, and a
     * hook on every {@code lock()} and {@code unlock()} is not worth a static read when nothing follows the order);
     * returns the transformer, or null when it could not be added. Failures are logged as one {@code diag:} line each,
     * never thrown.
     */
    public static ClassFileTransformer install(Instrumentation inst, boolean lockOrder) {
        long t0 = System.nanoTime();
        ExecutorHooks executors = new ExecutorHooks();
        ThreadSubclassHooks threadSubclasses = new ThreadSubclassHooks();
        List<HookedApi> hooked = new ArrayList<>(List.of(new ThreadStartHooks(), new ThreadExitHooks(), new ParkHooks(),
                new UnparkHooks(), new LockReleaseHooks(), executors, new TracedHooks(), new OtelContextHooks(),
                new VirtualThreadMountHooks(), threadSubclasses));
        if (lockOrder) hooked.add(new LockOrderHooks());
        List<HookedApi> apis = new ArrayList<>();
        for (HookedApi api : hooked) {
            try {
                api.preload();
                apis.add(api);
            } catch (Throwable e) {
                Log.error("cannot prepare " + api.getClass().getSimpleName() + ": " + e);
            }
        }
        long t1 = System.nanoTime();
        HookTransformer transformer = new HookTransformer(apis);
        warmUp(transformer);
        long t2 = System.nanoTime();
        inst.addTransformer(transformer, true);
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            executors.learnLoaded(c);
            threadSubclasses.learnLoaded(c);
            if (transformer.hooksLoadedClass(c) && inst.isModifiableClass(c)) loaded.add(c);
        }
        long t3 = System.nanoTime();
        retransform(inst, loaded);
        if (Log.isDebug()) {
            Log.debug("hooks: hook classes loaded in " + (t1 - t0) / 1_000_000 + " ms, weaver in " + (t2 - t1) / 1_000_000
                    + " ms, loaded classes scanned in " + (t3 - t2) / 1_000_000 + " ms, " + loaded.size()
                    + " retransformed in " + (System.nanoTime() - t3) / 1_000_000 + " ms");
        }
        return transformer;
    }

    /** Retransforms the classes at once; when that fails, one by one, so that one failure costs one class. */
    private static void retransform(Instrumentation inst, List<Class<?>> classes) {
        if (classes.isEmpty()) return;
        try {
            inst.retransformClasses(classes.toArray(new Class<?>[0]));
            return;
        } catch (Throwable e) {
            Log.debug("retransforming " + classes.size() + " classes at once failed (" + e + "); one by one");
        }
        for (Class<?> c : classes) {
            try {
                inst.retransformClasses(c);
            } catch (Throwable e) {
                Log.error("cannot hook " + c.getName() + ": " + e);
            }
        }
    }

    /**
     * Weaves a made-up {@code LockSupport} once, so that the weaver's classes (ASM's reader and writer among them) are
     * loaded and linked before the transformer runs inside the loading of some other class.
     */
    static void warmUp(HookTransformer transformer) {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, ParkHooks.LOCK_SUPPORT, null, "java/lang/Object",
                null);
        MethodVisitor m = w.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "park", "(Ljava/lang/Object;)V",
                null, null);
        m.visitCode();
        Label done = new Label();
        m.visitVarInsn(Opcodes.ALOAD, 0);
        m.visitJumpInsn(Opcodes.IFNULL, done);
        m.visitInsn(Opcodes.ICONST_0);
        m.visitVarInsn(Opcodes.ISTORE, 1);
        m.visitLabel(done);
        m.visitFrame(Opcodes.F_NEW, 1, new Object[] {"java/lang/Object"}, 0, new Object[0]);
        m.visitInsn(Opcodes.RETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        w.visitEnd();
        byte[] classFile = w.toByteArray();
        HookWeaver.weave(classFile, transformer.apisFor(ParkHooks.LOCK_SUPPORT, null, null, classFile));
        transformer.apisFor("java/util/concurrent/WarmUp", null, null, classFile); // the executors' header read
    }
}

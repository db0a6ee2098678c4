package dev.diag.instrument;

import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which application classes get the {@code run()} hook: subclasses of {@code Thread}, and subclasses of those once
 * seen; never another class, the JDK's own, diag's, or a class file ASM cannot read.
 */
class ThreadSubclassHooksTest {
    private static final ClassLoader APP = ThreadSubclassHooksTest.class.getClassLoader();

    private final ThreadSubclassHooks hooks = new ThreadSubclassHooks();

    @Test
    void givenApplicationClasses_whenDefined_thenThreadSubclassesAndTheirSubclassesAreHooked() {
        byte[] worker = classFile("example/Worker", "java/lang/Thread");
        byte[] special = classFile("example/SpecialWorker", "example/Worker");
        byte[] task = classFile("example/Task", "java/lang/Object");

        boolean specialBeforeWorker = hooks.hooksClass("example/SpecialWorker", APP, null, special);
        boolean workerHooked = hooks.hooksClass("example/Worker", APP, null, worker);
        boolean specialAfterWorker = hooks.hooksClass("example/SpecialWorker", APP, null, special);

        assertThat(workerHooked).isTrue();
        assertThat(specialBeforeWorker).as("its super class not seen yet").isFalse();
        assertThat(specialAfterWorker).isTrue();
        assertThat(hooks.hooksClass("example/Task", APP, null, task)).isFalse();
    }

    @Test
    void givenClassesThatAreNotTheApplications_whenDefined_thenNoneIsHooked() {
        byte[] jdkThread = classFile("java/lang/InnocuousThread", "java/lang/Thread");
        byte[] diagThread = classFile("dev/diag/x/DiagThread", "java/lang/Thread");

        assertThat(hooks.hooksClass("java/lang/InnocuousThread", null, null, jdkThread)).isFalse();
        assertThat(hooks.hooksClass("java/lang/InnocuousThread", ClassLoader.getPlatformClassLoader(), null,
                jdkThread)).isFalse();
        assertThat(hooks.hooksClass("dev/diag/x/DiagThread", APP, null, diagThread)).isFalse();
        assertThat(hooks.hooksClass("example/Garbage", APP, null, new byte[] {1, 2, 3})).isFalse();
    }

    private static byte[] classFile(String name, String superName) {
        ClassWriter w = new ClassWriter(0);
        w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name, null, superName, null);
        w.visitEnd();
        return w.toByteArray();
    }
}

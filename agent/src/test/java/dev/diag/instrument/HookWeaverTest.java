package dev.diag.instrument;

import dev.diag.api.Traced;
import net.bytebuddy.jar.asm.Type;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Weaves {@link WeaveSubject} with a park-like injection (two locals, exit on return and on throw) and runs it from a
 * throwaway class loader, whose classes the JVM verifies: wrong locals or stack map frames fail the load.
 */
class HookWeaverTest {
    private static final String RECORDER = Type.getInternalName(WeaveRecorder.class);
    private static final long START = WeaveRecorder.start();

    /** The test's hooked API: every {@code WeaveSubject} method but {@code untouched} gets the park-like injection. */
    private static final HookedApi PARK_LIKE = new HookedApi() {
        @Override
        public Injection injectionFor(MethodFacts m) {
            return m.name.equals("untouched") ? null : INJECTION;
        }

        @Override
        public void preload() {}
    };

    private static final Injection INJECTION = new Injection() {
        @Override
        Type[] locals() {
            return new Type[] {Type.LONG_TYPE, Type.INT_TYPE};
        }

        @Override
        void onEnter(InjectedCode code) {
            code.loadArgument(0);
            code.callHook(RECORDER, "enter", "(Ljava/lang/Object;)I");
            code.storeLocal(1);
            code.callHook(RECORDER, "start", "()J");
            code.storeLocal(0);
        }

        @Override
        void onExit(InjectedCode code) {
            code.loadLocal(0);
            code.loadLocal(1);
            code.loadArgument(0);
            code.callHook(RECORDER, "exit", "(JILjava/lang/Object;)V");
        }

        @Override
        boolean exitOnThrow() {
            return true;
        }

        @Override
        int[] argumentsReadOnExit() {
            return new int[] {0};
        }
    };

    private Class<?> woven;

    @BeforeEach
    void weave() throws Exception {
        byte[] original = classFile(WeaveSubject.class);
        byte[] bytes = HookWeaver.weave(original, List.of(PARK_LIKE));
        assertThat(bytes).isNotNull().isNotEqualTo(original);
        woven = Class.forName(WeaveSubject.class.getName(), true, new OneClassLoader(WeaveSubject.class.getName(), bytes));
        assertThat(woven.getClassLoader()).isInstanceOf(OneClassLoader.class);
        WeaveRecorder.EVENTS.clear();
    }

    @Test
    void givenAWovenStaticMethod_whenItReturns_thenEnterAndExitRunWithTheLocalsKept() throws Exception {
        Object result = invokeStatic("wait", new Class<?>[] {Object.class, long.class, boolean.class}, "b", 5L, false);

        assertThat(result).isEqualTo(WeaveSubject.wait("b", 5L, false));
        assertThat(WeaveRecorder.EVENTS).hasSize(2).startsWith("enter b");
        assertThat(WeaveRecorder.EVENTS.get(1)).matches("exit " + START + " \\d+ b");
        assertThat(slotOf(WeaveRecorder.EVENTS.get(1))).isGreaterThan(41);
    }

    @Test
    void givenAWovenMethod_whenItThrows_thenExitRunsAndTheSameExceptionLeaves() {
        assertThatThrownBy(() -> invokeStatic("wait", new Class<?>[] {Object.class, long.class, boolean.class}, "b",
                5L, true)).isInstanceOf(IllegalStateException.class).hasMessage("failed with b");

        assertThat(WeaveRecorder.EVENTS).hasSize(2);
        assertThat(WeaveRecorder.EVENTS.get(1)).matches("exit " + START + " \\d+ b");
    }

    @Test
    void givenAMethodThatCatchesItsOwnException_whenItRecovers_thenItsHandlerRunsAndExitRunsOnce() throws Exception {
        Object result = invokeStatic("recovers", new Class<?>[] {Object.class, String.class}, "b", "not a number");

        assertThat(result).isEqualTo(-1);
        assertThat(WeaveRecorder.EVENTS).hasSize(2);
    }

    @Test
    void givenAnInstanceMethodWithSeveralReturns_whenEachReturns_thenResultsAreUnchangedAndExitRunsEachTime()
            throws Exception {
        Object subject = woven.getConstructor(int.class).newInstance(7);
        Method compute = woven.getMethod("compute", Object.class, int.class);
        WeaveSubject plain = new WeaveSubject(7);

        for (int n : new int[] {-3, 0, 10, 100}) {
            assertThat(compute.invoke(subject, "x", n)).as("n=" + n).isEqualTo(plain.compute("x", n));
        }
        assertThat(WeaveRecorder.EVENTS).hasSize(8).filteredOn(e -> e.startsWith("exit " + START)).hasSize(4);
    }

    @Test
    void givenAVoidInstanceMethod_whenACallInsideThrows_thenExitRunsAndTheExceptionLeaves() throws Exception {
        Object subject = woven.getConstructor(int.class).newInstance(1);
        Method fails = woven.getMethod("fails", Object.class);

        assertThatThrownBy(() -> fails.invoke(subject, "f")).isInstanceOf(InvocationTargetException.class)
                .hasCauseInstanceOf(NullPointerException.class);
        assertThat(WeaveRecorder.EVENTS).containsExactly("enter f", WeaveRecorder.EVENTS.get(1));
        assertThat(WeaveRecorder.EVENTS.get(1)).startsWith("exit " + START);
    }

    @Test
    void givenAMethodTheApiLeavesAlone_whenCalled_thenNothingIsRecorded() throws Exception {
        assertThat(invokeStatic("untouched", new Class<?>[] {int.class}, 1)).isEqualTo(2);
        assertThat(WeaveRecorder.EVENTS).isEmpty();
    }

    @Test
    void givenAClassNoApiHooks_whenWoven_thenNullMeansUnchanged() throws Exception {
        assertThat(HookWeaver.weave(classFile(WeaveSubject.class), List.of(new ThreadStartHooks()))).isNull();
    }

    static final class Annotated {
        @Traced
        int work(int x) {
            if (x > 0) return x;
            throw new IllegalArgumentException();
        }

        @Traced("named")
        void named() {}

        /** Not annotated, in a woven class: passes through with its frames re-encoded. */
        static int plain(int n) {
            int sum = 0;
            for (int i = 0; i < n; i++) sum += i % 3 == 0 ? i : -i;
            return sum;
        }
    }

    @Test
    void givenTracedMethods_whenWoven_thenRegionsAreNamedAsBeforeAndTheClassVerifies() throws Exception {
        byte[] bytes = HookWeaver.weave(classFile(Annotated.class), List.of(new TracedHooks()));

        assertThat(bytes).isNotNull();
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        assertThat(text).contains("Annotated.work", "named", "tracedEnter", "tracedExit");
        Class<?> c = Class.forName(Annotated.class.getName(), true, new OneClassLoader(Annotated.class.getName(), bytes));
        var ctor = c.getDeclaredConstructor();
        ctor.setAccessible(true);
        Method work = c.getDeclaredMethod("work", int.class);
        work.setAccessible(true);
        Object o = ctor.newInstance();
        assertThat(work.invoke(o, 3)).isEqualTo(3);
        assertThatThrownBy(() -> work.invoke(o, 0)).hasCauseInstanceOf(IllegalArgumentException.class);
        Method plain = c.getDeclaredMethod("plain", int.class);
        plain.setAccessible(true);
        assertThat(plain.invoke(null, 10)).isEqualTo(Annotated.plain(10));
    }

    /**
     * The executor types a class file can name as super types must be known before that class's own super types are
     * loaded: each class of the running JDK's java.util.concurrent is asked with nothing learned before it.
     */
    @Test
    void givenEachJdkConcurrentClassAlone_whenAsked_thenExactlyTheConcreteExecutorsAreHooked() throws Exception {
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        Path dir = jrt.getPath("/modules/java.base/java/util/concurrent");
        int executors = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String file = f.getFileName().toString();
                if (!file.endsWith(".class")) continue;
                String internalName = "java/util/concurrent/" + file.substring(0, file.length() - 6);
                Class<?> c = Class.forName(internalName.replace('/', '.'), false, null);
                boolean expected = !c.isInterface() && !java.lang.reflect.Modifier.isAbstract(c.getModifiers())
                        && Executor.class.isAssignableFrom(c);
                if (expected) executors++;
                assertThat(new ExecutorHooks().hooksClass(internalName, null, null, Files.readAllBytes(f)))
                        .as(internalName).isEqualTo(expected);
                assertThat(new ExecutorHooks().hooksLoadedClass(c)).as(internalName).isEqualTo(expected);
            }
        }
        assertThat(executors).isGreaterThanOrEqualTo(6);
    }

    /** The JDK's own hooked classes weave without error, and each hooked method is found. */
    @Test
    void givenTheRunningJdksHookedClasses_whenWoven_thenEachChanges() throws Exception {
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        HookTransformer transformer = new HookTransformer(List.of(new ThreadStartHooks(), new ThreadExitHooks(),
                new ParkHooks(), new UnparkHooks(), new LockReleaseHooks(), new ExecutorHooks()));
        for (String name : Set.of("java/lang/Thread", "java/util/concurrent/locks/LockSupport",
                "java/util/concurrent/locks/AbstractQueuedSynchronizer", "java/util/concurrent/locks/StampedLock",
                "java/util/concurrent/ThreadPoolExecutor", "java/util/concurrent/ForkJoinPool")) {
            byte[] original = Files.readAllBytes(jrt.getPath("/modules/java.base/" + name + ".class"));
            assertThat(transformer.transform(null, name, null, null, original)).as(name).isNotNull();
        }
    }

    private Object invokeStatic(String name, Class<?>[] types, Object... args) throws Exception {
        try {
            return woven.getMethod(name, types).invoke(null, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception x) throw x;
            throw e;
        }
    }

    private static int slotOf(String exitEvent) {
        return Integer.parseInt(exitEvent.split(" ")[2]);
    }

    private static byte[] classFile(Class<?> c) throws Exception {
        try (InputStream in = c.getResourceAsStream("/" + Type.getInternalName(c) + ".class")) {
            return in.readAllBytes();
        }
    }

    /** Defines one class itself from the given bytes; everything else comes from the test's loader. */
    static final class OneClassLoader extends ClassLoader {
        private final String name;
        private final byte[] bytes;

        OneClassLoader(String name, byte[] bytes) {
            super(HookWeaverTest.class.getClassLoader());
            this.name = name;
            this.bytes = bytes;
        }

        @Override
        protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
            if (!n.equals(name)) return super.loadClass(n, resolve);
            synchronized (getClassLoadingLock(n)) {
                Class<?> c = findLoadedClass(n);
                return c != null ? c : defineClass(n, bytes, 0, bytes.length);
            }
        }
    }
}

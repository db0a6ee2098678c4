package dev.diag.it.workloads;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Starts threads in each JDK 21+ way, one method per way, once diag's hooks are in, and counts what really ran:
 * {@value #EXECUTOR} platform threads from {@code startByExecutor} ({@code Executors.newThreadPerTaskExecutor} with
 * {@code Thread.ofPlatform().factory()}, which starts them through {@code Thread.start(ThreadContainer)}),
 * {@value #BUILDER} from {@code startByBuilder} ({@code Thread.ofPlatform().start}), {@value #SCOPE} from
 * {@code startByScope} (a JDK 25 {@code StructuredTaskScope} forking on platform threads; skipped with
 * {@code scope=0} where that preview API has another shape), and {@value #VIRTUAL} virtual threads from
 * {@code startVirtual} (builder and virtual-thread-per-task executor). Each task records whether it ran on a virtual
 * thread; the program prints {@code truth executor=N builder=N scope=N virtual=N} (platform counts, then virtual)
 * and exits with 0. Compiled for Java 17, so JDK 21 APIs are called reflectively.
 */
public final class PlatformStartsWorkload {
    public static final int EXECUTOR = 5;
    public static final int BUILDER = 4;
    public static final int SCOPE = 3;
    public static final int VIRTUAL = 6;

    private static final MethodHandle IS_VIRTUAL = isVirtual();
    private static final AtomicInteger PLATFORM_RAN = new AtomicInteger();
    private static final AtomicInteger VIRTUAL_RAN = new AtomicInteger();

    public static void main(String[] args) throws Throwable {
        WorkloadSupport.awaitDiagInit();
        ThreadFactory platform = (ThreadFactory) builderMethod("factory").invoke(Thread.class.getMethod("ofPlatform")
                .invoke(null));
        int executor = ranOnPlatform(() -> startByExecutor(platform));
        int builder = ranOnPlatform(PlatformStartsWorkload::startByBuilder);
        int scope = ranOnPlatform(() -> startByScope(platform));
        startVirtual();
        System.out.println("truth executor=" + executor + " builder=" + builder + " scope=" + scope
                + " virtual=" + VIRTUAL_RAN.get());
        System.out.flush();
        System.exit(0);
    }

    static void startByExecutor(ThreadFactory platform) throws Exception {
        ExecutorService executor = (ExecutorService) Executors.class
                .getMethod("newThreadPerTaskExecutor", ThreadFactory.class).invoke(null, platform);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < EXECUTOR; i++) done.add(executor.submit(PlatformStartsWorkload::task));
        for (Future<?> f : done) f.get();
        executor.shutdown();
        executor.awaitTermination(60, TimeUnit.SECONDS);
    }

    static void startByBuilder() throws Exception {
        Method start = builderMethod("start", Runnable.class);
        Object builder = Thread.class.getMethod("ofPlatform").invoke(null);
        for (int i = 0; i < BUILDER; i++) ((Thread) start.invoke(builder, (Runnable) PlatformStartsWorkload::task)).join();
    }

    /** JDK 25's StructuredTaskScope.open(Joiner.awaitAll(), cf -> cf.withThreadFactory(platform)), forks, join. */
    static void startByScope(ThreadFactory platform) throws Exception {
        Class<?> scopeClass;
        Method open;
        Object joiner;
        Method withThreadFactory;
        try {
            scopeClass = Class.forName("java.util.concurrent.StructuredTaskScope");
            Class<?> joinerClass = Class.forName("java.util.concurrent.StructuredTaskScope$Joiner");
            open = scopeClass.getMethod("open", joinerClass, Function.class);
            joiner = joinerClass.getMethod("awaitAll").invoke(null);
            withThreadFactory = Class.forName("java.util.concurrent.StructuredTaskScope$Configuration")
                    .getMethod("withThreadFactory", ThreadFactory.class);
        } catch (ReflectiveOperationException e) {
            return; // not JDK 25's shape of the preview API
        }
        Function<Object, Object> onPlatform = cf -> {
            try {
                return withThreadFactory.invoke(cf, platform);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        };
        try (AutoCloseable scope = (AutoCloseable) open.invoke(null, joiner, onPlatform)) {
            Method fork = scopeClass.getMethod("fork", Runnable.class);
            for (int i = 0; i < SCOPE; i++) fork.invoke(scope, (Runnable) PlatformStartsWorkload::task);
            scopeClass.getMethod("join").invoke(scope);
        }
    }

    static void startVirtual() throws Exception {
        Method start = builderMethod("start", Runnable.class);
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        for (int i = 0; i < VIRTUAL / 2; i++) ((Thread) start.invoke(builder, (Runnable) PlatformStartsWorkload::task)).join();
        ExecutorService executor = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                .invoke(null);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < VIRTUAL - VIRTUAL / 2; i++) done.add(executor.submit(PlatformStartsWorkload::task));
        for (Future<?> f : done) f.get();
        executor.shutdown();
        executor.awaitTermination(60, TimeUnit.SECONDS);
    }

    private static void task() {
        boolean virtual;
        try {
            virtual = (boolean) IS_VIRTUAL.invokeExact(Thread.currentThread());
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        (virtual ? VIRTUAL_RAN : PLATFORM_RAN).incrementAndGet();
    }

    /** Runs {@code starts} and returns how many tasks ran on platform threads meanwhile. */
    private static int ranOnPlatform(Starts starts) throws Exception {
        int before = PLATFORM_RAN.get();
        try {
            starts.run();
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
        return PLATFORM_RAN.get() - before;
    }

    private interface Starts {
        void run() throws Exception;
    }

    private static Method builderMethod(String name, Class<?>... parameters) throws ReflectiveOperationException {
        return Class.forName("java.lang.Thread$Builder").getMethod(name, parameters);
    }

    private static MethodHandle isVirtual() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("needs JDK 21+", e);
        }
    }
}

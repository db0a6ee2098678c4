package dev.diag.instrument;

import dev.diag.hook.RequestHook;
import dev.diag.hook.TraceHook;
import net.bytebuddy.jar.asm.Type;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;

/**
 * Makes methods annotated {@code @dev.diag.api.Traced} or OpenTelemetry's {@code @WithSpan} trace regions and
 * requests on {@code /debug/requests}: a region and a request around the body, closed also when it throws (the
 * request then as an error). Both are matched by name, so diag needs no OpenTelemetry classes. The
 * region name is the annotation's value, or {@code SimpleClassName.method}; it is computed once, when the class is
 * woven, and inlined as a constant. Constructors are not hooked.
 *
 * <p>Only classes of application loaders whose class file mentions one of the annotations are parsed
 * ({@link ClassFileMentions}): the JDK's own classes carry neither.
 */
final class TracedHooks implements HookedApi {
    static final String TRACED = "Ldev/diag/api/Traced;";
    static final String WITH_SPAN = "Lio/opentelemetry/instrumentation/annotations/WithSpan;";
    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    private final ClassFileMentions mentions = new ClassFileMentions(TRACED, WITH_SPAN);

    @Override
    public boolean hooksClass(String internalName, ClassLoader loader, Class<?> classBeingRedefined,
                              byte[] classFile) {
        return isApplicationLoader(loader) && !internalName.startsWith("dev/diag/") && mentions.mentionsAny(classFile);
    }

    /** Asked at install for the classes already loaded (an attach into a running application): by reflection. */
    @Override
    public boolean hooksLoadedClass(Class<?> type) {
        if (!isApplicationLoader(type.getClassLoader()) || type.getName().startsWith("dev.diag.")) return false;
        try {
            for (Method m : type.getDeclaredMethods()) {
                for (Annotation a : m.getDeclaredAnnotations()) {
                    String name = a.annotationType().getName();
                    if (name.equals("dev.diag.api.Traced")
                            || name.equals("io.opentelemetry.instrumentation.annotations.WithSpan")) return true;
                }
            }
        } catch (Throwable unreadable) {
            // A class whose methods name missing types cannot be asked; it keeps its code.
        }
        return false;
    }

    private static boolean isApplicationLoader(ClassLoader loader) {
        return loader != null && loader != PLATFORM;
    }

    @Override
    public boolean readsAnnotations() {
        return true;
    }

    @Override
    public Injection injectionFor(MethodFacts m) {
        if (m.isConstructorOrInitializer()) return null;
        for (var e : m.annotations.entrySet()) {
            if (!e.getKey().equals(TRACED) && !e.getKey().equals(WITH_SPAN)) continue;
            String value = e.getValue();
            return new Region(value != null && !value.isEmpty() ? value : m.owner.simpleName() + "." + m.name);
        }
        return null;
    }

    /**
     * {@code boolean began = TraceHook.tracedEnter(name); Object request = RequestHook.start(name)} on entry;
     * {@code TraceHook.tracedExit(began); RequestHook.finish(request)} on return, and on a throw
     * {@code RequestHook.threw(thrown, request)} instead of the finish: the request ends as an error.
     */
    private static final class Region extends Injection {
        private static final String REQUEST_HOOK = "dev/diag/hook/RequestHook";
        private final String name;

        Region(String name) {
            this.name = name;
        }

        @Override
        Type[] locals() {
            return new Type[] {Type.BOOLEAN_TYPE, Type.getType(Object.class)};
        }

        @Override
        void onEnter(InjectedCode code) {
            code.pushString(name);
            code.callHook("dev/diag/hook/TraceHook", "tracedEnter", "(Ljava/lang/String;)Z");
            code.storeLocal(0);
            code.pushString(name);
            code.callHook(REQUEST_HOOK, "start", "(Ljava/lang/String;)Ljava/lang/Object;");
            code.storeLocal(1);
        }

        @Override
        void onExit(InjectedCode code) {
            endRegion(code);
            code.loadLocal(1);
            code.callHook(REQUEST_HOOK, "finish", "(Ljava/lang/Object;)V");
        }

        @Override
        void onExitThrowing(InjectedCode code) {
            endRegion(code);
            code.dup(); // the thrown object, kept for the rethrow
            code.loadLocal(1);
            code.callHook(REQUEST_HOOK, "threw", "(Ljava/lang/Throwable;Ljava/lang/Object;)V");
        }

        private static void endRegion(InjectedCode code) {
            code.loadLocal(0);
            code.callHook("dev/diag/hook/TraceHook", "tracedExit", "(Z)V");
        }

        @Override
        boolean exitOnThrow() {
            return true;
        }
    }

    @Override
    public void preload() {
        TraceHook.tracedExit(false);
        TraceHook.isEnabled();
        RequestHook.finish(null);
    }
}

package dev.diag.instrument;

import dev.diag.hook.TraceHook;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.implementation.bytecode.constant.TextConstant;
import net.bytebuddy.matcher.ElementMatcher;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isExtensionClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

/**
 * Makes methods annotated {@code @dev.diag.api.Traced} or OpenTelemetry's {@code @WithSpan} trace regions. Both
 * are matched by name, so diag needs no OpenTelemetry classes. The region name is the annotation's value, or
 * {@code SimpleClassName.method}; it is computed once, when the class is transformed, and inlined as a constant.
 */
public final class TracedInstrumentation implements TypeInstrumentation {
    static final String TRACED = "dev.diag.api.Traced";
    static final String WITH_SPAN = "io.opentelemetry.instrumentation.annotations.WithSpan";

    private static ElementMatcher.Junction<MethodDescription> annotated() {
        return isAnnotatedWith(named(TRACED)).or(isAnnotatedWith(named(WITH_SPAN)));
    }

    private final ClassFileMentions mentions = new ClassFileMentions(descriptor(TRACED), descriptor(WITH_SPAN));

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return declaresMethod(annotated());
    }

    @Override
    public NewClassFilter newClassFilter() {
        return mentions;
    }

    private static String descriptor(String className) {
        return "L" + className.replace('.', '/') + ";";
    }

    /**
     * The JDK's own classes carry neither annotation, and reading every method's annotations of every JDK class loaded
     * made class loading with diag more than twice as slow.
     */
    @Override
    public ElementMatcher<ClassLoader> classLoaderMatcher() {
        return not(isBootstrapClassLoader()).and(not(isExtensionClassLoader()));
    }

    @Override
    public AgentBuilder.Transformer transformer() {
        return (builder, type, loader, module, domain) -> builder.visit(Advice.withCustomMapping()
                .bind(RegionName.class, new RegionNameMapping())
                .to(TracedAdvice.class)
                .on(annotated().and(not(isAbstract()))));
    }

    @Override
    public void preload() {
        TraceHook.isEnabled();
    }

    /** Returns the region name for a method: the annotation's non-empty value, else {@code SimpleClass.method}. */
    static String regionName(MethodDescription method) {
        for (AnnotationDescription a : method.getDeclaredAnnotations()) {
            String type = a.getAnnotationType().getName();
            if (!type.equals(TRACED) && !type.equals(WITH_SPAN)) continue;
            for (MethodDescription.InDefinedShape property : a.getAnnotationType().getDeclaredMethods()) {
                if (property.getName().equals("value")) {
                    Object v = a.getValue(property).resolve();
                    if (v instanceof String s && !s.isEmpty()) return s;
                }
            }
        }
        String owner = method.getDeclaringType().asErasure().getSimpleName();
        return owner + "." + (method.isConstructor() ? "<init>" : method.getName());
    }

    /** Marks the advice parameter that receives the region name constant. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    public @interface RegionName {}

    /** Resolves {@link RegionName} to a string constant per instrumented method. */
    static final class RegionNameMapping implements Advice.OffsetMapping {
        @Override
        public Target resolve(TypeDescription instrumentedType, MethodDescription instrumentedMethod, Assigner assigner,
                              Advice.ArgumentHandler argumentHandler, Sort sort) {
            return new Target.ForStackManipulation(new TextConstant(regionName(instrumentedMethod)));
        }
    }

    /** Inlined into annotated methods: a region around the body, closed also when it throws. */
    public static class TracedAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static boolean enter(@RegionName String name) {
            return TraceHook.regionBegin(name);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit(@Advice.Enter boolean began) {
            if (began) TraceHook.regionEnd();
        }
    }
}

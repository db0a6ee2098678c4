package dev.diag.instrument;

import dev.diag.agent.Log;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * Installs diag's instrumentations with Byte Buddy: retransformation without class-format changes, so the same code
 * path serves {@code -javaagent} at start-up and attach into a running JVM (already-loaded classes are rewritten).
 */
public final class Installer {
    private Installer() {}

    /**
     * Installs the instrumentations; returns the transformer (to remove it later) or null when nothing could be
     * installed. Failures are logged as one {@code diag:} line each, never thrown.
     */
    public static ClassFileTransformer install(Instrumentation inst, List<TypeInstrumentation> instrumentations) {
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
                .with(new FailureListener())
                .with(new AgentBuilder.LocationStrategy.Compound(AgentBuilder.LocationStrategy.ForClassLoader.STRONG,
                        new AgentBuilder.LocationStrategy.Simple(BootstrapClassFiles.locator())))
                .ignore(IgnoreRules.ignored());
        List<NewClassFilter> filters = new ArrayList<>();
        for (TypeInstrumentation ti : instrumentations) {
            try {
                ti.preload();
            } catch (Throwable e) {
                Log.error("cannot prepare " + ti.getClass().getSimpleName() + ": " + e);
                continue;
            }
            filters.add(ti.newClassFilter());
            builder = builder.type(ti.typeMatcher(), ti.classLoaderMatcher()).transform(ti.transformer());
        }
        return builder.with(new NewClassGate(filters)).installOn(inst);
    }

    /** Reports what could not be instrumented; the rest of diag runs on. */
    private static final class FailureListener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
            Log.error("cannot instrument " + typeName + ": " + error);
        }

        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                                     DynamicType dynamicType) {
            Log.debug("instrumented " + type.getName());
        }
    }
}

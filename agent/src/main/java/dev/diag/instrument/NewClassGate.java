package dev.diag.instrument;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.List;

/**
 * Wraps Byte Buddy's transformer so that a class being defined for the first time reaches it only when one of the
 * instrumentations' {@link NewClassFilter}s passes it; every other class costs a few string comparisons instead of
 * Byte Buddy's set-up. Retransformations (a {@code classBeingRedefined}, as at install and attach) always pass: Byte
 * Buddy chose those classes itself.
 */
final class NewClassGate implements AgentBuilder.TransformerDecorator {
    private final NewClassFilter[] filters;

    NewClassGate(List<NewClassFilter> filters) {
        this.filters = filters.toArray(new NewClassFilter[0]);
    }

    @Override
    public ResettableClassFileTransformer decorate(ResettableClassFileTransformer transformer) {
        Gated gated = new Gated(transformer, filters);
        gated.passes("dev/diag/instrument/Preload", null, null, new byte[0]); // loads what a gate check runs
        return gated;
    }

    static final class Gated extends ResettableClassFileTransformer.WithDelegation {
        private final NewClassFilter[] filters;

        Gated(ResettableClassFileTransformer transformer, NewClassFilter[] filters) {
            super(transformer);
            this.filters = filters;
        }

        @Override
        public byte[] transform(ClassLoader loader, String internalName, Class<?> classBeingRedefined,
                                ProtectionDomain protectionDomain, byte[] classFile)
                throws IllegalClassFormatException {
            if (!passes(internalName, loader, classBeingRedefined, classFile)) return null;
            return classFileTransformer.transform(loader, internalName, classBeingRedefined, protectionDomain,
                    classFile);
        }

        @Override
        public byte[] transform(Module module, ClassLoader loader, String internalName, Class<?> classBeingRedefined,
                                ProtectionDomain protectionDomain, byte[] classFile)
                throws IllegalClassFormatException {
            if (!passes(internalName, loader, classBeingRedefined, classFile)) return null;
            return classFileTransformer.transform(module, loader, internalName, classBeingRedefined,
                    protectionDomain, classFile);
        }

        boolean passes(String internalName, ClassLoader loader, Class<?> classBeingRedefined, byte[] classFile) {
            if (classBeingRedefined != null) return true;
            if (internalName == null || classFile == null) return false; // a hidden class: never instrumented
            try {
                for (NewClassFilter f : filters) {
                    if (f.mayTransform(internalName, loader, classFile)) return true;
                }
                return false;
            } catch (Throwable e) {
                return true; // a filter that fails decides nothing: Byte Buddy's matchers do
            }
        }
    }
}

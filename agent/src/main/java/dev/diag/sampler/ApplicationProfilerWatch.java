package dev.diag.sampler;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;

/**
 * Watches for the application loading async-profiler's Java API ({@code one.profiler.AsyncProfiler}, also under a
 * relocated package), and makes diag's sampler step aside before the application's first call: one process has one
 * async-profiler, and the application's own profiling must not fail because diag got there first. Costs one string
 * comparison per class loaded; never changes a class.
 */
final class ApplicationProfilerWatch implements ClassFileTransformer {
    private static final String API = "one/profiler/AsyncProfiler";
    private final NativeSampler sampler;

    ApplicationProfilerWatch(NativeSampler sampler) {
        this.sampler = sampler;
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classFile) {
        if (classBeingRedefined == null && internalName != null && internalName.endsWith(API)
                && (internalName.length() == API.length() || internalName.charAt(internalName.length() - API.length() - 1) == '/')) {
            try {
                sampler.stepAside("the application loads async-profiler itself (" + internalName.replace('/', '.') + ")");
            } catch (Throwable ignored) {
                // never into the application's class loading
            }
        }
        return null;
    }
}

package dev.diag.instrument;

import dev.diag.base.Log;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one class file transformer of diag's hooks. Every class the JVM defines or retransforms passes here, so the
 * common case is one map lookup by internal name that misses; only the APIs that decide from the class file
 * (executors by package, {@code @Traced} by loader and a byte search) look further. Runs inside class loading: no
 * lambdas, no string concatenation by {@code invokedynamic} on the paths a class load takes.
 */
final class HookTransformer implements ClassFileTransformer {
    private final Map<String, List<HookedApi>> byClassName = new HashMap<>();
    private final List<HookedApi> byClassFile = new ArrayList<>();

    HookTransformer(List<HookedApi> apis) {
        for (HookedApi api : apis) {
            if (api.classNames().isEmpty()) byClassFile.add(api);
            for (String name : api.classNames()) {
                List<HookedApi> named = byClassName.get(name);
                if (named == null) byClassName.put(name, named = new ArrayList<>());
                named.add(api);
            }
        }
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classFile) {
        if (internalName == null || classFile == null) return null; // a hidden class: never hooked
        try {
            List<HookedApi> apis = apisFor(internalName, loader, classBeingRedefined, classFile);
            if (apis == null) return null;
            byte[] woven = HookWeaver.weave(classFile, apis);
            if (woven != null && Log.isDebug()) Log.debug(new StringBuilder("hooked ").append(internalName).toString());
            return woven;
        } catch (Throwable e) {
            Log.error(new StringBuilder("cannot hook ").append(internalName).append(": ").append(e).toString());
            return null;
        }
    }

    /** Returns the APIs that hook this class, or null when none does. */
    List<HookedApi> apisFor(String internalName, ClassLoader loader, Class<?> classBeingRedefined, byte[] classFile) {
        List<HookedApi> apis = byClassName.get(internalName);
        if (apis != null) return apis;
        List<HookedApi> matched = null; // a Thread subclass with @Traced methods has two
        for (HookedApi api : byClassFile) {
            if (!api.hooksClass(internalName, loader, classBeingRedefined, classFile)) continue;
            if (matched == null) matched = new ArrayList<>(2);
            matched.add(api);
        }
        return matched;
    }

    /** Returns whether a class loaded before the transformer was added must be retransformed. */
    boolean hooksLoadedClass(Class<?> type) {
        if (byClassName.containsKey(type.getName().replace('.', '/'))) return true;
        for (HookedApi api : byClassFile) {
            if (api.hooksLoadedClass(type)) return true;
        }
        return false;
    }
}

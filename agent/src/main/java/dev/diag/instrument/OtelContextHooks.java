package dev.diag.instrument;

import dev.diag.hook.SpanLabelHook;

import java.util.Set;

/**
 * Links OpenTelemetry's current span to the thread's profile labels by weaving {@link SpanLabelHook} into
 * OpenTelemetry's default context storage, where every {@code Span.makeCurrent()} and {@code Context.makeCurrent()}
 * ends: {@code ThreadLocalContextStorage.attach(Context)} (after it, with the scope it returns) and its scope's
 * {@code close()} (after it). Both the application's copy ({@code io.opentelemetry.context}) and the OpenTelemetry Java
 * agent's shaded copy are matched by name, in any class loader: diag needs no OpenTelemetry class of its own.
 *
 * <p>Storages that do not end in this class (a {@code ContextStorageProvider} of the application's own) are not seen.
 * A {@code ContextStorage.addWrapper} wrapper, or OpenTelemetry's strict storage, still calls it and is seen.
 */
final class OtelContextHooks implements HookedApi {
    /** Where the OpenTelemetry Java agent relocates its own copy of the API. */
    static final String JAVAAGENT_SHADED = "io/opentelemetry/javaagent/shaded/";
    static final String STORAGE = "io/opentelemetry/context/ThreadLocalContextStorage";
    static final String SCOPE = STORAGE + "$ScopeImpl";
    private static final String HOOK = "dev/diag/hook/SpanLabelHook";

    @Override
    public Set<String> classNames() {
        return Set.of(STORAGE, SCOPE, JAVAAGENT_SHADED + STORAGE, JAVAAGENT_SHADED + SCOPE);
    }

    @Override
    public Injection injectionFor(MethodFacts m) {
        String owner = m.owner.internalName;
        String prefix = owner.startsWith(JAVAAGENT_SHADED) ? JAVAAGENT_SHADED : "";
        if (owner.equals(prefix + STORAGE) && m.name.equals("attach") && !m.isStatic()
                && m.descriptor.equals("(L" + prefix + "io/opentelemetry/context/Context;)L" + prefix
                        + "io/opentelemetry/context/Scope;")) {
            return ATTACH;
        }
        if (owner.equals(prefix + SCOPE) && m.name.equals("close") && m.descriptor.equals("()V") && !m.isStatic()) {
            return CLOSE;
        }
        return null;
    }

    /** {@code SpanLabelHook.attached(scope, context)} with the scope about to be returned. */
    private static final Injection ATTACH = new Injection() {
        @Override
        void onExit(InjectedCode code) {
            code.dup();
            code.loadArgument(0);
            code.callHook(HOOK, "attached", "(Ljava/lang/Object;Ljava/lang/Object;)V");
        }
    };

    /** {@code SpanLabelHook.closed(this)} once the scope gave the previous context back. */
    private static final Injection CLOSE = new Injection() {
        @Override
        void onExit(InjectedCode code) {
            code.loadThis();
            code.callHook(HOOK, "closed", "(Ljava/lang/Object;)V");
        }
    };

    @Override
    public void preload() {
        SpanLabelHook.attached(null, null);
        SpanLabelHook.closed(null);
    }
}

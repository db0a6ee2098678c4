package dev.diag.instrument;

import dev.diag.hook.LabelHook;
import net.bytebuddy.jar.asm.Type;

import java.util.Set;

/**
 * Hooks {@code VirtualThread.mount()} and {@code unmount()} (JDK 21+, private methods; tested on 25), so that the
 * labels of the OS thread under a sample follow the virtual thread it runs ({@link LabelHook#beforeMount}). The
 * entry call runs with the thread that is current before the switch (the carrier for a mount, the virtual thread for
 * an unmount), the exit call with the one after it; each passes the other what only it can read. Until a virtual
 * thread has labels, each call is one static read.
 */
final class VirtualThreadMountHooks implements HookedApi {
    private static final String VIRTUAL_THREAD = "java/lang/VirtualThread";
    private static final String LABEL_HOOK = "dev/diag/hook/LabelHook";

    @Override
    public Set<String> classNames() {
        return Set.of(VIRTUAL_THREAD);
    }

    @Override
    public Injection injectionFor(MethodFacts m) {
        if (m.isStatic() || !m.descriptor.equals("()V")) return null;
        if (m.name.equals("mount")) return MOUNT;
        return m.name.equals("unmount") ? UNMOUNT : null;
    }

    private static final Injection MOUNT = new Switch("beforeMount", "afterMount");
    private static final Injection UNMOUNT = new Switch("beforeUnmount", "afterUnmount");

    /** A switch of the current thread: what the entry returns, the exit gets. */
    private static final class Switch extends Injection {
        private final String enter;
        private final String exit;

        Switch(String enter, String exit) {
            this.enter = enter;
            this.exit = exit;
        }

        @Override
        Type[] locals() {
            return new Type[] {Type.getType(Object.class)};
        }

        @Override
        void onEnter(InjectedCode code) {
            code.callHook(LABEL_HOOK, enter, "()Ljava/lang/Object;");
            code.storeLocal(0);
        }

        @Override
        void onExit(InjectedCode code) {
            code.loadLocal(0);
            code.callHook(LABEL_HOOK, exit, "(Ljava/lang/Object;)V");
        }
    }

    @Override
    public void preload() {
        // Loads and links the hook now: its first call runs mid-switch, where no class should load.
        LabelHook.afterMount(LabelHook.beforeMount());
        LabelHook.afterUnmount(LabelHook.beforeUnmount());
        LabelHook.currentCarrier();
    }
}

package dev.diag.instrument;

import dev.diag.hook.LockOrderHook;

import java.util.Set;

/**
 * Hooks the acquire and release methods of {@code ReentrantLock} and of {@code ReentrantReadWriteLock}'s read and
 * write locks for the lock-order graph ({@link LockOrderHook}): {@code lock()} and {@code lockInterruptibly()} as
 * they return (the lock is held), each {@code tryLock} as it returns with its result, {@code unlock()} as it starts.
 *
 * <p>Why these methods and not AQS: {@code ReentrantLock.lock()} takes a free lock without calling into AQS's
 * {@code acquire} at all, and AQS cannot tell a {@code tryLock} (which cannot deadlock) from a {@code lock()}. A read
 * lock and a write lock of one {@code ReentrantReadWriteLock} are two locks here (each view object is its own
 * identity): an order between them is still seen, but a cycle through one's read lock and the other's write lock is
 * not. {@code synchronized}, {@code StampedLock} and other {@code Lock}s are not hooked (see the README).
 */
final class LockOrderHooks implements HookedApi {
    private static final String HOOK = "dev/diag/hook/LockOrderHook";
    static final Set<String> CLASSES = Set.of("java/util/concurrent/locks/ReentrantLock",
            "java/util/concurrent/locks/ReentrantReadWriteLock$ReadLock",
            "java/util/concurrent/locks/ReentrantReadWriteLock$WriteLock");

    @Override
    public Set<String> classNames() {
        return CLASSES;
    }

    @Override
    public Injection injectionFor(MethodFacts m) {
        if (m.isStatic()) return null;
        switch (m.name + m.descriptor) {
            case "lock()V":
            case "lockInterruptibly()V":
                return LOCKED;
            case "tryLock()Z":
            case "tryLock(JLjava/util/concurrent/TimeUnit;)Z":
                return TRIED;
            case "unlock()V":
                return UNLOCKING;
            default:
                return null;
        }
    }

    /** On a normal return only: a {@code lockInterruptibly()} that threw holds nothing. */
    private static final Injection LOCKED = new Injection() {
        @Override
        void onExit(InjectedCode code) {
            code.loadThis();
            code.callHook(HOOK, "onLock", "(Ljava/lang/Object;)V");
        }
    };

    private static final Injection TRIED = new Injection() {
        @Override
        void onExit(InjectedCode code) {
            code.dup(); // the boolean about to be returned
            code.loadThis();
            code.callHook(HOOK, "onTryLock", "(ZLjava/lang/Object;)V");
        }
    };

    private static final Injection UNLOCKING = new Injection() {
        @Override
        void onEnter(InjectedCode code) {
            code.loadThis();
            code.callHook(HOOK, "onUnlock", "(Ljava/lang/Object;)V");
        }
    };

    @Override
    public void preload() {
        LockOrderHook.onLock(null);
        LockOrderHook.onTryLock(false, null);
        LockOrderHook.onUnlock(null);
        dev.diag.lockorder.LockOrderGraph.find(new Object());
        new dev.diag.lockorder.HeldLocks(true).indexOf(null);
    }
}

package dev.diag.instrument;

import dev.diag.hook.MutexWaiters;

import java.util.Set;

/**
 * Hooks the release side of the locks for the mutex profile: the releasing thread is charged what the lock's waiters
 * waited since the previous release ({@link MutexWaiters}). Two release paths cover every lock in the JDK:
 * <ul>
 * <li>{@code AbstractQueuedSynchronizer} and {@code AbstractQueuedLongSynchronizer} {@code release}/{@code
 *     releaseShared} (ReentrantLock, ReentrantReadWriteLock, the locks inside the blocking queues; also the
 *     latches and semaphores built on AQS, whose waiters {@link MutexWaiters} does not track, so their releases
 *     charge nothing);</li>
 * <li>{@code StampedLock}, which has no AQS: its unlock methods, the views' ({@code asWriteLock()}, {@code
 *     asReadLock()}) {@code unstampedUnlock*}, and the conversions that release a mode
 *     ({@code tryConvertToOptimisticRead}, {@code tryConvertToReadLock} from a write stamp).</li>
 * </ul>
 *
 * <p>The call goes at the start, while the lock is still held and before any waiter is woken, so each waiter still
 * parked is charged up to this release. (A {@code tryUnlock*} or {@code tryConvert*} that turns out to release nothing
 * also charges: those are called on held locks in practice.)
 */
final class LockReleaseHooks implements HookedApi {
    private static final String AQS = "java/util/concurrent/locks/AbstractQueuedSynchronizer";
    private static final String AQLS = "java/util/concurrent/locks/AbstractQueuedLongSynchronizer";
    private static final String STAMPED_LOCK = "java/util/concurrent/locks/StampedLock";
    /** StampedLock's methods that release a write or read hold (JDK 15+ StampedLock, the one on 17..25). */
    static final Set<String> STAMPED_RELEASES = Set.of("unlockWrite", "unlockRead", "unlock", "tryUnlockWrite",
            "tryUnlockRead", "tryConvertToOptimisticRead", "tryConvertToReadLock", "unstampedUnlockWrite",
            "unstampedUnlockRead");

    @Override
    public Set<String> classNames() {
        return Set.of(AQS, AQLS, STAMPED_LOCK);
    }

    @Override
    public Injection injectionFor(MethodFacts m) {
        if (m.isStatic()) return null;
        if (m.owner.internalName.equals(STAMPED_LOCK)) return STAMPED_RELEASES.contains(m.name) ? ON_ENTER : null;
        boolean oneArgument = m.descriptor.startsWith("(I)") || m.descriptor.startsWith("(J)");
        return oneArgument && (m.name.equals("release") || m.name.equals("releaseShared")) ? ON_ENTER : null;
    }

    private static final Injection ON_ENTER = new Injection() {
        @Override
        void onEnter(InjectedCode code) {
            code.loadThis();
            code.callHook("dev/diag/hook/MutexWaiters", "onRelease", "(Ljava/lang/Object;)V");
        }
    };

    @Override
    public void preload() {
        MutexWaiters.onRelease(null);
    }
}

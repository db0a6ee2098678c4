package dev.diag.instrument;

import dev.diag.hook.MutexWaiters;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

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
 * <p>The advice runs on entry, while the lock is still held and before any waiter is woken, so each waiter still
 * parked is charged up to this release. (A {@code tryUnlock*} or {@code tryConvert*} that turns out to release nothing
 * also charges: those are called on held locks in practice.)
 */
public final class LockReleaseInstrumentation implements TypeInstrumentation {
    /** StampedLock's methods that release a write or read hold (JDK 15+ StampedLock, the one on 17..25). */
    static final String[] STAMPED_RELEASES = {"unlockWrite", "unlockRead", "unlock", "tryUnlockWrite",
            "tryUnlockRead", "tryConvertToOptimisticRead", "tryConvertToReadLock", "unstampedUnlockWrite",
            "unstampedUnlockRead"};

    private static final String[] TYPES = {"java.util.concurrent.locks.AbstractQueuedSynchronizer",
            "java.util.concurrent.locks.AbstractQueuedLongSynchronizer", "java.util.concurrent.locks.StampedLock"};

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return namedOneOf(TYPES);
    }

    @Override
    public NewClassFilter newClassFilter() {
        return NewClassFilter.named(TYPES);
    }

    @Override
    public AgentBuilder.Transformer transformer() {
        return (builder, type, loader, module, domain) -> builder.visit(Advice.to(ReleaseAdvice.class)
                .on(type.getName().endsWith(".StampedLock")
                        ? namedOneOf(STAMPED_RELEASES).and(not(isStatic()))
                        : named("release").or(named("releaseShared")).and(takesArguments(1))));
    }

    @Override
    public void preload() {
        MutexWaiters.onRelease(null);
    }

    /** Inlined at the start of {@code release(arg)}, {@code releaseShared(arg)} and StampedLock's releases. */
    public static class ReleaseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object lock) {
            MutexWaiters.onRelease(lock);
        }
    }
}

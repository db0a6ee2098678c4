package dev.diag.threads;

/**
 * One thread as a goroutine dump shows it: id, name, Java state, what it waits on, whether it is virtual, and its
 * stack (top first).
 *
 * @param state     {@link Thread.State} name, or null when the source does not say (JDK 21's virtual thread dump)
 * @param waitingOn the lock or blocker's {@code toString()}, or null
 */
public record Goroutine(long id, String name, String state, String waitingOn, boolean virtual,
                        StackTraceElement[] stack) {
}

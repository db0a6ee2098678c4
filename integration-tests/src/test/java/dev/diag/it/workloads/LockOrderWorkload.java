package dev.diag.it.workloads;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Locks taken in opposite orders that never deadlock, because the two orders never overlap in time: thread
 * {@code order-ab} takes FIRST (a {@code ReentrantLock}) then SECOND (a {@code ReentrantReadWriteLock}'s write lock) ({@code firstThenSecond} → {@code takeSecond}), and once it has ended,
 * thread {@code order-ba} takes SECOND then FIRST ({@code secondThenFirst} → {@code takeFirst}). Beside them, pairs that
 * are no potential deadlock: OUTER then INNER, always in that order, by both threads ({@code outerThenInner}); and
 * PLAIN then TRIED by {@code order-ab} while {@code order-ba} holds TRIED and only {@code tryLock}s PLAIN
 * ({@code triedThenTryPlain}), which gives up instead of waiting. Each thread repeats its orders three times. Prints
 * {@code ready} when both threads have ended, then waits {@code args[0]} ms. With {@code args[1]} {@code virtual}
 * (JDK 21+), both threads are virtual threads.
 */
public final class LockOrderWorkload {
    private static final ReentrantLock FIRST = new ReentrantLock();
    private static final Lock SECOND = new ReentrantReadWriteLock().writeLock();
    private static final ReentrantLock OUTER = new ReentrantLock();
    private static final ReentrantLock INNER = new ReentrantLock();
    private static final ReentrantLock PLAIN = new ReentrantLock();
    private static final ReentrantLock TRIED = new ReentrantLock();

    private static boolean virtual;

    public static void main(String[] args) throws Exception {
        virtual = args.length > 1 && args[1].equals("virtual");
        runToEnd("order-ab", () -> {
            for (int i = 0; i < 3; i++) {
                firstThenSecond();
                outerThenInner();
                plainThenTried();
            }
        });
        runToEnd("order-ba", () -> {
            for (int i = 0; i < 3; i++) {
                secondThenFirst();
                outerThenInner();
                triedThenTryPlain();
            }
        });
        System.out.println("ready");
        Thread.sleep(Long.parseLong(args[0]));
    }

    private static void runToEnd(String name, Runnable body) throws Exception {
        Thread t;
        if (virtual) { // Thread.ofVirtual().name(name).start(body), by reflection: this compiles for Java 17
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            builder = builderType.getMethod("name", String.class).invoke(builder, name);
            t = (Thread) builderType.getMethod("start", Runnable.class).invoke(builder, body);
        } else {
            t = new Thread(body, name);
            t.start();
        }
        t.join();
    }

    static void firstThenSecond() {
        FIRST.lock();
        try {
            takeSecond();
        } finally {
            FIRST.unlock();
        }
    }

    static void takeSecond() {
        SECOND.lock();
        SECOND.unlock();
    }

    static void secondThenFirst() {
        SECOND.lock();
        try {
            takeFirst();
        } finally {
            SECOND.unlock();
        }
    }

    static void takeFirst() {
        FIRST.lock();
        FIRST.unlock();
    }

    static void outerThenInner() {
        OUTER.lock();
        try {
            INNER.lock();
            INNER.unlock();
        } finally {
            OUTER.unlock();
        }
    }

    static void plainThenTried() {
        PLAIN.lock();
        try {
            TRIED.lock();
            TRIED.unlock();
        } finally {
            PLAIN.unlock();
        }
    }

    static void triedThenTryPlain() {
        TRIED.lock();
        try {
            if (PLAIN.tryLock()) PLAIN.unlock();
        } finally {
            TRIED.unlock();
        }
    }
}

package dev.diag.hook;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Threads that end labelled are forgotten as they end, and the profiler hears of it; a started thread takes its
 * starter's labels, a pool's worker does not.
 */
class LabelHookTest {
    @AfterEach
    void noListener() {
        LabelHook.setListener(null);
    }

    @Test
    void givenThreadsEndingWithLabelsSet_whenTheyExit_thenNoneIsLeftAndTheListenerHeardEachClear() throws Exception {
        List<LabelSet> heard = new ArrayList<>();
        LabelHook.setListener(l -> { synchronized (heard) { heard.add(l); } });
        int before = LabelHook.labelledThreads().size();

        for (int i = 0; i < 200; i++) {
            Thread t = new Thread(() -> {
                LabelHook.set(LabelSet.EMPTY.with("worker", Thread.currentThread().getName()));
                ThreadExitHook.onExit(); // what the advice on Thread.exit() runs
            });
            t.start();
            t.join();
        }

        assertThat(LabelHook.labelledThreads()).hasSize(before);
        assertThat(heard).hasSize(400);
        assertThat(heard.stream().filter(l -> l.size() == 0).count()).as("one clear per thread").isEqualTo(200);
    }

    @Test
    void givenAnUnlabelledThread_whenItExits_thenTheListenerHearsNothing() throws Exception {
        List<LabelSet> heard = new ArrayList<>();
        LabelHook.setListener(heard::add);

        Thread t = new Thread(ThreadExitHook::onExit);
        t.start();
        t.join();

        assertThat(heard).isEmpty();
    }

    @Test
    void givenALabelledStarter_whenItStartsAThreadAndAPoolStartsAWorker_thenOnlyTheThreadTakesTheLabels()
            throws Exception {
        LabelSet labels = LabelSet.EMPTY.with("job", "started");
        LabelSet previous = LabelHook.enter(labels);
        AtomicReference<LabelSet> seenByThread = new AtomicReference<>();
        AtomicReference<LabelSet> seenByWorker = new AtomicReference<>();
        // What the advice does: onStarting before Thread.start, onRunning as Thread.run begins.
        ThreadFactory hooked = r -> {
            Thread t = new Thread(() -> {
                LabelHook.onRunning(Thread.currentThread());
                r.run();
            });
            LabelHook.onStarting(t); // inside ThreadPoolExecutor.addWorker when the pool asks
            return t;
        };
        ExecutorService pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), hooked);
        try {
            Thread t = hooked.newThread(() -> seenByThread.set(LabelHook.current()));
            t.start();
            t.join();
            // An unwrapped task (no executor hook here) sees the worker's own labels: none.
            pool.submit(() -> seenByWorker.set(LabelHook.current())).get();
        } finally {
            LabelHook.leave(previous);
            pool.shutdown();
        }

        assertThat(seenByThread.get()).isSameAs(labels);
        assertThat(seenByWorker.get().size()).as("labels on the pool's worker").isZero();
    }

    @Test
    void givenAnUnlabelledStarter_whenItStartsAThread_thenTheThreadHasNoLabels() throws Exception {
        AtomicReference<LabelSet> seen = new AtomicReference<>();
        Thread t = new Thread(() -> {
            LabelHook.onRunning(Thread.currentThread());
            seen.set(LabelHook.current());
        });
        LabelHook.onStarting(t);
        t.start();
        t.join();

        assertThat(seen.get().size()).isZero();
    }
}

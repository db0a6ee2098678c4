package dev.diag.hook;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Threads that end labelled are forgotten as they end, and the profiler hears of it. */
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
}

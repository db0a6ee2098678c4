package dev.diag.jfr;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExitedThreadCountersTest {
    private final ExitedThreadCounters counters = ExitedThreadCounters.INSTANCE;

    @AfterEach
    void forgetEverything() {
        counters.readerDone();
        counters.evictOlderThan(System.nanoTime() + 1);
    }

    @Test
    void givenAReaderBehind_whenTheKeepTimePasses_thenWhatItHasNotReadIsKeptUntilItReadsOn() {
        long now = System.nanoTime();
        long hourAgo = now - 3_600_000_000_000L;
        assertThat(counters.keptFrom(now)).as("no reader: the last 30 s").isEqualTo(now - 30_000_000_000L);

        counters.readUntil(hourAgo);
        assertThat(counters.keptFrom(now)).as("a reader that read an hour ago still needs what ended since")
                .isEqualTo(hourAgo);

        counters.readUntil(now);
        assertThat(counters.keptFrom(now)).as("read up to now: the last 30 s again").isEqualTo(now - 30_000_000_000L);
        counters.readUntil(hourAgo);
        counters.readerDone();
        assertThat(counters.keptFrom(now)).as("the reader is gone").isEqualTo(now - 30_000_000_000L);
    }

    @Test
    void givenAThreadEnding_whenItsCountersAreAskedFor_thenTheyAreWhatTheEndingThreadHadUsed() {
        Thread ending = new Thread(() -> {});
        long before = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();

        counters.exiting(ending);

        assertThat(counters.cpuNanos(ending.getId())).isGreaterThanOrEqualTo(before);
        assertThat(counters.allocatedBytes(ending.getId())).isPositive();
        assertThat(counters.cpuNanos(ending.getId() + 1_000_000)).as("a thread never seen").isEqualTo(-1);
    }

    @Test
    void givenCountersOfEndedThreads_whenEvictedPastTheirEnd_thenTheyAreForgotten() {
        Thread ending = new Thread(() -> {});
        counters.exiting(ending);

        counters.evictOlderThan(System.nanoTime() + 1);

        assertThat(counters.cpuNanos(ending.getId())).isEqualTo(-1);
        assertThat(counters.allocatedBytes(ending.getId())).isEqualTo(-1);
    }

    @Test
    void givenMoreEndingThreadsThanTheBound_whenAllEnd_thenOnlyTheBoundIsKept() {
        long firstId = -1;
        long lastId = -1;
        for (int i = 0; i < ExitedThreadCounters.MAX_THREADS + 10; i++) {
            Thread t = new Thread(() -> {});
            if (i == 0) firstId = t.getId();
            lastId = t.getId();
            counters.exiting(t);
        }

        assertThat(counters.size()).isEqualTo(ExitedThreadCounters.MAX_THREADS);
        assertThat(counters.cpuNanos(firstId)).isNotEqualTo(-1);
        assertThat(counters.cpuNanos(lastId)).as("dropped: the map was full").isEqualTo(-1);
    }
}

package dev.diag.hook;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TraceEventLogTest {
    @Test
    void givenAppends_whenRead_thenRecordsComeBackInOrderWithTheirFields() {
        TraceEventLog log = new TraceEventLog(100);
        log.append(TraceEventLog.TYPE_TASK_CREATE, 7, 1, 0, "checkout", null);
        log.append(TraceEventLog.TYPE_LOG, 7, 1, 0, "order", "validated");

        List<Object[]> read = new ArrayList<>();
        log.read((ts, type, tid, a, b, r1, r2) -> read.add(new Object[] {ts, type, tid, a, b, r1, r2}));

        assertThat(read).hasSize(2);
        assertThat(read.get(0)).containsSubsequence(TraceEventLog.TYPE_TASK_CREATE, 7L, 1L, 0L, "checkout");
        assertThat(read.get(1)).containsSubsequence(TraceEventLog.TYPE_LOG, 7L, 1L, 0L, "order", "validated");
        assertThat((long) read.get(1)[0]).isGreaterThanOrEqualTo((long) read.get(0)[0]);
    }

    @Test
    void givenFullLog_whenAppend_thenRefusesCountsAndRemembersWhenItFilled() {
        TraceEventLog log = new TraceEventLog(3);
        for (int i = 0; i < 3; i++) log.append(TraceEventLog.TYPE_UNPARK, 1, i, 0, null, null);

        boolean accepted = log.append(TraceEventLog.TYPE_UNPARK, 1, 3, 0, null, null);
        log.append(TraceEventLog.TYPE_UNPARK, 1, 4, 0, null, null);

        assertThat(accepted).isFalse();
        assertThat(log.dropped()).isEqualTo(2);
        assertThat(log.fullAt()).isPositive();
        long[] count = new long[1];
        log.read((ts, type, tid, a, b, r1, r2) -> count[0]++);
        assertThat(count[0]).isEqualTo(3);
    }

    @Test
    void givenFourWritersAcrossChunks_whenRead_thenEveryRecordIsCompleteAndSeenOnce() throws Exception {
        int perThread = TraceEventLog.CHUNK_EVENTS * 3 + 17;
        TraceEventLog log = new TraceEventLog(4L * perThread);
        Thread[] writers = new Thread[4];
        for (int w = 0; w < writers.length; w++) {
            long tid = w + 1;
            writers[w] = new Thread(() -> {
                for (int i = 0; i < perThread; i++) log.append(TraceEventLog.TYPE_UNPARK, tid, i, tid * 1000, null, null);
            });
        }

        for (Thread t : writers) t.start();
        for (Thread t : writers) t.join();

        Set<String> seen = new HashSet<>();
        log.read((ts, type, tid, a, b, r1, r2) -> {
            assertThat(b).isEqualTo(tid * 1000); // no torn record: every field from the same append
            assertThat(seen.add(tid + ":" + a)).isTrue();
        });
        assertThat(seen).hasSize(4 * perThread);
        assertThat(log.dropped()).isZero();
    }

    @Test
    void givenAnEventOfSeveralSlots_whenRead_thenItComesBackOnceAndTakesItsSlotsOfTheCapacity() {
        TraceEventLog log = new TraceEventLog(4);

        assertThat(log.append(TraceEventLog.TYPE_LABELS, 1, 0, 0, "labels", null, 3)).isTrue();
        assertThat(log.append(TraceEventLog.TYPE_LOG, 1, 0, 0, "order", "validated")).isTrue();
        assertThat(log.append(TraceEventLog.TYPE_LABELS, 1, 0, 0, "more labels", null, 2)).as("one slot left").isFalse();

        List<Object> read = new ArrayList<>();
        log.read((ts, type, tid, a, b, r1, r2) -> read.add(r1));
        assertThat(read).containsExactly("labels", "order");
        assertThat(log.fullAt()).isNotZero();
    }
}

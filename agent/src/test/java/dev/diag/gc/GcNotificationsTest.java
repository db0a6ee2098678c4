package dev.diag.gc;

import org.junit.jupiter.api.Test;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class GcNotificationsTest {
    @Test
    void givenListening_whenSystemGcTwice_thenTwoForcedEventsNumberedAsTheJvmCountsAndTheirPausesAdded()
            throws Exception {
        List<GcEvent> events = new CopyOnWriteArrayList<>();
        GcNotifications listening = GcNotifications.listen(events::add, false);
        try {
            System.gc();
            System.gc();
            long counted = collections();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (events.stream().filter(e -> e.number() == counted).findAny().isEmpty()
                    && System.nanoTime() < deadline) {
                Thread.sleep(10); // notifications arrive on the JDK's thread, after the collection
            }

            List<GcEvent> forced = events.stream().filter(e -> e.cause().equals("System.gc()")).toList();
            assertThat(forced).as("%s", events).hasSize(2);
            assertThat(forced.get(1).number()).isEqualTo(forced.get(0).number() + 1);
            assertThat(events.get(events.size() - 1).number()).as("the JVM's own count").isEqualTo(counted);
            for (GcEvent e : forced) {
                assertThat(e.concurrent()).isFalse();
                assertThat(e.concurrentMs()).isZero();
                assertThat(e.heapAfter()).isPositive().isLessThanOrEqualTo(e.heapCommitted());
                assertThat(e.startMs()).isPositive();
            }
            assertThat(forced.get(1).pausedMs()).isEqualTo(forced.get(0).pausedMs() + forced.get(1).stopMs());
        } finally {
            listening.close();
        }
    }

    private static long collections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) n += gc.getCollectionCount();
        return n;
    }
}

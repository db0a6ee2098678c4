package dev.diag.ring;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ring contract, for each spec (stripes × capacity): FIFO per producer, full → drop and count, every accepted
 * record drained exactly once and whole under concurrent producers. No agent needed.
 */
class RingSanityTest {
    /** A ring under test: {@code stripes} stripes sharing {@code capacity} records. */
    record Spec(int stripes, int capacity) {
        StripedRing ring() {
            return new StripedRing(stripes, capacity);
        }

        @Override
        public String toString() {
            return stripes + " stripe(s) × " + capacity / stripes + " records";
        }
    }

    static Stream<Arguments> specs() {
        return Stream.of(Arguments.of(new Spec(1, 8)), Arguments.of(new Spec(1, 1024)),
                Arguments.of(new Spec(4, 64)), Arguments.of(new Spec(16, 4096)));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void givenOneProducer_whenOfferThenDrain_thenRecordsComeOutFirstInFirstOutWithEveryField(Spec spec) {
        StripedRing ring = spec.ring();
        int n = spec.capacity() / spec.stripes();

        for (int i = 0; i < n; i++) {
            assertThat(ring.offer(RecordType.BLOCK, i + 10, 7, 1000 + i, 2000 + i, 3000 + i, 4000 + i, 5000 + i))
                    .isTrue();
        }
        List<long[]> out = drainAll(ring);

        assertThat(out).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(out.get(i)).containsExactly(RecordType.BLOCK, i + 10, 7, 1000 + i, 2000 + i, 3000 + i,
                    4000 + i, 5000 + i);
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void givenRecordsWithAttachments_whenDrainedTwiceAroundTheRing_thenEachRecordHasItsOwnAndPlainOffersHaveNone(
            Spec spec) {
        StripedRing ring = spec.ring();
        int n = spec.capacity() / spec.stripes();
        List<Object> seen = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < n; i++) {
                if (round == 0) ring.offer(RecordType.BLOCK, 1, 7, i, 0, 0, 0, 0, "labels-" + i);
                else ring.offer(RecordType.BLOCK, 1, 7, i, 0, 0, 0, 0);
            }
            ring.drain(r -> seen.add(r.attachment()), Integer.MAX_VALUE);
        }

        assertThat(seen).hasSize(2 * n);
        for (int i = 0; i < n; i++) assertThat(seen.get(i)).isEqualTo("labels-" + i);
        // The slots were reused: a drained record's object was let go, not handed to the next record of its slot.
        assertThat(seen.subList(n, 2 * n)).containsOnlyNulls();
    }

    @ParameterizedTest
    @MethodSource("specs")
    void givenFullStripe_whenOffer_thenDropsAndCountsAndAcceptsAgainAfterDrain(Spec spec) {
        StripedRing ring = spec.ring();
        int perStripe = spec.capacity() / spec.stripes();
        for (int i = 0; i < perStripe; i++) ring.offer(RecordType.BLOCK, 1, 42, i, 0, 0, 0, 0);

        boolean accepted = ring.offer(RecordType.BLOCK, 1, 42, -1, 0, 0, 0, 0);

        assertThat(accepted).isFalse();
        assertThat(ring.dropped()).isEqualTo(1);
        assertThat(ring.offered()).isEqualTo(perStripe);
        assertThat(drainAll(ring)).hasSize(perStripe);
        assertThat(ring.maxOccupancy()).isEqualTo(perStripe);
        assertThat(ring.offer(RecordType.BLOCK, 1, 42, 0, 0, 0, 0, 0)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("specs")
    void givenConcurrentProducers_whenDrainingMeanwhile_thenEveryAcceptedRecordArrivesOnceWholeAndInOrderPerThread(
            Spec spec) throws Exception {
        int producers = 4;
        int perProducer = 50_000;
        StripedRing ring = spec.ring();
        CountDownLatch start = new CountDownLatch(1);
        long[] accepted = new long[producers];
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perProducer; i++) {
                    // Every field derived from (producer, i) so a torn record is detectable.
                    if (ring.offer(RecordType.MUTEX, id, id, i, i * 3L, i * 5L, -i, id * 1_000_000L + i)) {
                        accepted[id]++;
                    }
                }
            });
            t.start();
            threads.add(t);
        }

        Map<Long, Long> lastSeen = new HashMap<>();
        long[] received = new long[producers];
        List<Throwable> failures = new ArrayList<>(); // the ring swallows handler exceptions: collect them
        RecordHandler check = r -> {
            try {
            long id = r.threadId();
            long i = r.timestamp();
            assertThat(r.stackId()).isEqualTo((int) id);
            assertThat(r.duration()).isEqualTo(i * 3);
            assertThat(r.objectId()).isEqualTo(i * 5);
            assertThat(r.extra1()).isEqualTo(-i);
            assertThat(r.extra2()).isEqualTo(id * 1_000_000L + i);
            assertThat(i).as("order of producer %d", id).isGreaterThan(lastSeen.getOrDefault(id, -1L));
            lastSeen.put(id, i);
            received[(int) id]++;
            } catch (Throwable e) {
            failures.add(e);
            }
        };
        start.countDown();
        while (threads.stream().anyMatch(Thread::isAlive)) ring.drain(check, 256);
        for (Thread t : threads) t.join();
        while (ring.drain(check, 256) > 0) {
            // the rest
        }

        assertThat(failures).isEmpty();
        assertThat(received).containsExactly(accepted);
        long total = 0;
        for (long a : accepted) total += a;
        assertThat(ring.offered()).isEqualTo(total);
        assertThat(ring.offered() + ring.dropped()).isEqualTo((long) producers * perProducer);
    }

    @ParameterizedTest
    @MethodSource("specs")
    void givenThrowingHandler_whenDrain_thenOnlyThatRecordIsLostAndTheRingGoesOn(Spec spec) {
        StripedRing ring = spec.ring();
        ring.offer(RecordType.BLOCK, 1, 9, 1, 0, 0, 0, 0);
        ring.offer(RecordType.BLOCK, 1, 9, 2, 0, 0, 0, 0);

        List<Long> seen = new ArrayList<>();
        int n = ring.drain(r -> {
            seen.add(r.timestamp());
            if (r.timestamp() == 1) throw new IllegalStateException("handler bug");
        }, 16);

        assertThat(n).isEqualTo(2);
        assertThat(seen).containsExactly(1L, 2L);
        assertThat(drainAll(ring)).isEmpty();
    }

    private static List<long[]> drainAll(StripedRing ring) {
        List<long[]> out = new ArrayList<>();
        while (ring.drain(r -> out.add(new long[] {r.type(), r.stackId(), r.threadId(), r.timestamp(), r.duration(),
                r.objectId(), r.extra1(), r.extra2()}), 1 << 20) > 0) {
            // until empty
        }
        return out;
    }
}

package dev.diag.jfr;

import dev.diag.stack.Frame;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadCounterAttributionTest {
    private static final Frame[] SITE_A = {new Frame("app.Work", "a", "()V", null, 1)};
    private static final Frame[] SITE_B = {new Frame("app.Work", "b", "()V", null, 2)};

    private final Map<Long, Long> counters = new HashMap<>();
    private final Map<String, Long> bytesBySite = new HashMap<>();
    private final Map<String, Integer> samplesBySite = new HashMap<>();
    private final java.util.Set<Object> details = new java.util.HashSet<>();
    private long now;
    private final ThreadCounterAttribution attribution = new ThreadCounterAttribution(
            id -> counters.getOrDefault(id, -1L), (stack, epochNanos, share, samples, detail) -> {
                bytesBySite.merge(stack[0].methodName(), share, Long::sum);
                samplesBySite.merge(stack[0].methodName(), samples, Integer::sum);
            }, () -> now, ThreadCounterAttribution.LiveThreads.NONE, Long.MAX_VALUE, id -> null);

    @Test
    void givenEndlessShortLivedThreads_whenEachEndsAfterItsSamples_thenOnlyThreadsAliveOrJustEndedAreKept() {
        for (long id = 1; id <= 10_000; id++) {
            counters.put(id, 0L);
            attribution.sample(id, SITE_A, now + 1, 1, null);
            counters.put(id, 100L);
            now += 10;
            attribution.flush();
            counters.remove(id); // ended, and its last counter no longer known: reads -1
            now += 10;
            attribution.flush();
        }

        assertThat(attribution.threadCount()).isLessThanOrEqualTo(1);
        assertThat(samplesBySite.get("a")).as("every ended thread's sample was attributed").isEqualTo(10_000);
    }

    @Test
    void givenAReadableCounter_whenAttributed_thenTheDeltaIsSplitEvenlyOverTheThreadsSamplesIgnoringTheirWeights() {
        counters.put(7L, 1_000L);
        attribution.baseline(new long[] {7});
        attribution.sample(7, SITE_A, 10, 900, null);
        attribution.sample(7, SITE_A, 11, 5, null);
        attribution.sample(7, SITE_B, 12, 5, null);
        counters.put(7L, 4_000L);
        now = 20;

        attribution.attributeAll();

        assertThat(bytesBySite).containsEntry("a", 2_000L).containsEntry("b", 1_000L);
        assertThat(samplesBySite).containsEntry("a", 2).containsEntry("b", 1);
    }

    @Test
    void givenABurstWhoseSamplesArriveAFlushLate_whenFlushed_thenTheBurstsDeltaGoesToTheBurstsSamples() {
        counters.put(7L, 0L);
        attribution.baseline(new long[] {7});
        attribution.sample(7, SITE_A, 10, 1, null); // a steady trickle at a, taken before the first flush
        now = 100;
        counters.put(7L, 100L);
        attribution.flush(); // its samples may still be on their way: nothing attributed yet
        assertThat(bytesBySite).isEmpty();

        attribution.sample(7, SITE_B, 150, 1, null); // a burst at b after the first flush: 10,000 bytes
        attribution.sample(7, SITE_B, 160, 1, null);
        counters.put(7L, 10_100L);
        now = 200;
        attribution.flush(); // attributes (0, 100]: a's trickle
        now = 300;
        attribution.flush(); // attributes (100, 200]: b's burst, whose samples arrived late

        assertThat(bytesBySite).containsEntry("a", 100L).containsEntry("b", 10_000L);
    }

    @Test
    void givenIntervalsWithoutSamples_whenAttributed_thenTheirDeltaGoesToTheNextSamplesOrElseTheLatestStacks() {
        counters.put(7L, 0L);
        attribution.baseline(new long[] {7});
        attribution.sample(7, SITE_A, 10, 1, null);
        counters.put(7L, 100L);
        now = 100;
        attribution.attributeAll(); // (0, 100]: a
        counters.put(7L, 300L);
        now = 200;
        attribution.attributeAll(); // (100, 200]: no sample, carried
        attribution.sample(7, SITE_B, 250, 1, null);
        counters.put(7L, 600L);
        now = 300;
        attribution.attributeAll(); // (200, 300]: b, with what was carried
        counters.put(7L, 1_000L);
        now = 400;
        attribution.attributeAll(); // (300, 400]: no sample, carried
        counters.put(7L, 1_500L);
        now = 500;
        attribution.attributeAll(); // (400, 500]: still none: both go to b, the latest stack, not counted again

        assertThat(bytesBySite).containsEntry("a", 100L).containsEntry("b", 1_400L);
        assertThat(samplesBySite).containsEntry("a", 1).containsEntry("b", 1);
    }

    @Test
    void givenAThreadThatEnded_whenFlushed_thenItsSamplesShareTheSumOfTheirWeightsEvenly() {
        counters.put(7L, 0L);
        attribution.baseline(new long[] {7});
        attribution.sample(7, SITE_A, 10, 2_700, null); // one sample's weight often carries most of the bytes
        attribution.sample(7, SITE_A, 11, 100, null);
        attribution.sample(7, SITE_B, 12, 200, null);
        counters.remove(7L); // the thread has ended: its counter reads -1

        attribution.flush();

        assertThat(bytesBySite).containsEntry("a", 2_000L).containsEntry("b", 1_000L);
        assertThat(samplesBySite).containsEntry("a", 2).containsEntry("b", 1);
    }

    @Test
    void givenAThreadFirstSeenBySamples_whenAttributed_thenItsCounterCountsFromZero() {
        attribution.sample(9, SITE_A, 10, 1, null); // started after the baseline
        counters.put(9L, 500L);
        now = 20;

        attribution.attributeAll();

        assertThat(bytesBySite).containsEntry("a", 500L);
    }

    @Test
    void givenSamplesBeforeTheLastReading_whenTheTailIsAttributed_thenWhatTheThreadDidSinceGoesToThoseStacksWithoutCounting() {
        counters.put(7L, 0L);
        attribution.baseline(new long[] {7});
        attribution.sample(7, SITE_A, 10, 1, null);
        attribution.sample(7, SITE_B, 11, 1, null);
        counters.put(7L, 100L);
        now = 20;
        attribution.attributeAll();
        counters.put(7L, 300L);
        now = 40;

        attribution.attributeTail();

        assertThat(bytesBySite).containsEntry("a", 150L).containsEntry("b", 150L);
        assertThat(samplesBySite).containsEntry("a", 1).containsEntry("b", 1);
    }

    /** Live threads as a test sets them: id to current stack (null: not running). */
    private static final class LiveStacks implements ThreadCounterAttribution.LiveThreads {
        final Map<Long, Frame[]> stacks = new HashMap<>();
        int asked;

        @Override
        public long[] ids() {
            return stacks.keySet().stream().mapToLong(Long::longValue).toArray();
        }

        @Override
        public Frame[][] stacks(long[] ids) {
            asked++;
            Frame[][] out = new Frame[ids.length][];
            for (int i = 0; i < ids.length; i++) out[i] = stacks.get(ids[i]);
            return out;
        }
    }

    private ThreadCounterAttribution following(LiveStacks live, long snapshotThreshold) {
        return new ThreadCounterAttribution(id -> counters.getOrDefault(id, -1L),
                (stack, epochNanos, share, samples, detail) -> {
                    bytesBySite.merge(stack[0].methodName(), share, Long::sum);
                    samplesBySite.merge(stack[0].methodName(), samples, Integer::sum);
                    details.add(detail);
                }, () -> now, live, snapshotThreshold, id -> "labels of " + id);
    }

    @Test
    void givenAThreadJfrNeverSamples_whenItBurnsThenEnds_thenItsWholeCounterGoesToWhereItWasSeen() {
        LiveStacks live = new LiveStacks();
        ThreadCounterAttribution withLive = following(live, 50);
        withLive.baseline(new long[0]);

        live.stacks.put(9L, SITE_B); // started after the baseline, never sampled
        counters.put(9L, 100L);
        now = 100;
        withLive.flush();
        counters.put(9L, 300L);
        now = 200;
        withLive.flush();
        live.stacks.remove(9L); // ended; its last counter is still readable (Thread.exit)
        counters.put(9L, 350L);
        now = 300;
        withLive.flush();
        withLive.attributeTail();

        assertThat(bytesBySite).as("all of it, from the thread's start").containsEntry("b", 350L);
        assertThat(samplesBySite).as("no sample was taken").containsEntry("b", 0);
        assertThat(details).as("the stand-in carries the thread's detail, as a sample would").containsOnly("labels of 9");
    }

    @Test
    void givenAThreadJfrNeverSamplesThatUsesLittle_whenFlushed_thenNoStackIsAskedFor() {
        LiveStacks live = new LiveStacks();
        live.stacks.put(9L, SITE_B);
        ThreadCounterAttribution withLive = following(live, 1_000);
        for (int i = 1; i <= 5; i++) {
            counters.put(9L, 10L * i);
            now = 100L * i;
            withLive.flush();
        }

        assertThat(live.asked).isZero();
    }
}

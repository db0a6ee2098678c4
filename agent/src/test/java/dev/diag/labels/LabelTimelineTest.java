package dev.diag.labels;

import dev.diag.hook.LabelHook;
import dev.diag.hook.LabelSet;
import dev.diag.pprof.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Labels by OS thread id at the time of samples read later, from logs each thread writes alone. */
class LabelTimelineTest {
    private final LabelTimeline timeline = new LabelTimeline();

    @AfterEach
    void tearDown() {
        LabelHook.set(LabelSet.EMPTY);
        timeline.unfollow(); // each test follows at most once
    }

    @Test
    void givenChanges_whenSamplesAreReadLater_thenEachGetsTheLabelsOfItsOwnTime() throws Exception {
        long self = LabelHook.currentNativeId();
        assertThat(self).isPositive();
        timeline.follow();
        long before = epochNanos();
        Thread.sleep(2);
        LabelHook.set(LabelSet.EMPTY.with("job", "a"));
        Thread.sleep(2);
        long during = epochNanos();
        Thread.sleep(2);
        LabelHook.set(LabelSet.EMPTY);
        Thread.sleep(2);
        long after = epochNanos();

        assertThat(timeline.at(self, before)).isEmpty();
        assertThat(timeline.at(self, during)).containsExactly(Label.string("job", "a"));
        assertThat(timeline.at(self, after)).isEmpty();
    }

    @Test
    void givenATimelineNotFollowed_whenLabelsChange_thenNothingIsKept() {
        timeline.follow();
        timeline.unfollow();
        LabelHook.set(LabelSet.EMPTY.with("job", "b"));
        LabelHook.set(LabelSet.EMPTY);

        assertThat(timeline.at(LabelHook.currentNativeId(), Long.MAX_VALUE)).isEmpty();
        assertThat(timeline.dropped()).isZero();
    }

    @Test
    void givenAThreadLabelledBeforeFollowing_whenSampledBeforeItsFirstChange_thenItHasItsEarlierLabels() {
        LabelHook.set(LabelSet.EMPTY.with("tenant", "acme"));
        timeline.follow();
        long self = LabelHook.currentNativeId();

        assertThat(timeline.at(self, epochNanos())).containsExactly(Label.string("tenant", "acme"));
        LabelHook.set(LabelSet.EMPTY);
        assertThat(timeline.at(self, epochNanos())).isEmpty();
    }

    @Test
    void givenManyThreadsChangingAtOnce_whenEachIsSampled_thenEachGetsItsOwnLabelsAndNothingIsDropped()
            throws Exception {
        timeline.follow();
        int threads = 8;
        int changes = 10_000;
        long[] nativeIds = new long[threads];
        long[] midTimes = new long[threads];
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int n = t;
            Thread thread = new Thread(() -> {
                nativeIds[n] = LabelHook.currentNativeId();
                for (int i = 0; i < changes; i++) {
                    LabelHook.set(LabelSet.EMPTY.with("worker", "w" + n).with("step", Integer.toString(i)));
                    if (i == changes / 2) midTimes[n] = epochNanos();
                }
                LabelHook.set(LabelSet.EMPTY.with("worker", "w" + n).with("step", "last"));
            });
            thread.start();
            started.add(thread);
        }
        for (Thread t : started) t.join();
        long end = epochNanos();

        for (int t = 0; t < threads; t++) {
            List<Label> mid = timeline.at(nativeIds[t], midTimes[t]);
            assertThat(mid).contains(Label.string("worker", "w" + t));
            assertThat(mid).contains(Label.string("step", Integer.toString(changes / 2)));
            assertThat(timeline.at(nativeIds[t], end)).contains(Label.string("step", "last"));
        }
        assertThat(timeline.dropped()).isZero();
    }

    @Test
    void givenMoreChangesThanTheBoundBetweenReads_whenAppended_thenTheRestAreDroppedCountedAndAReadAsked() {
        AtomicInteger asked = new AtomicInteger();
        timeline.whenFilling(asked::incrementAndGet);
        timeline.follow();
        LabelSet set = LabelSet.EMPTY.with("k", "v");
        int over = 1_000;
        for (int i = 0; i < LabelTimeline.MAX_QUEUED_CHANGES + over; i++) LabelHook.set(set);

        assertThat(timeline.dropped()).isBetween((long) over, (long) over + LabelTimeline.LARGEST_CHUNK);
        assertThat(asked.get()).isEqualTo(1);

        long self = LabelHook.currentNativeId();
        timeline.catchUp(epochNanos()); // a read frees what it read
        LabelHook.set(LabelSet.EMPTY.with("k", "after"));
        assertThat(timeline.at(self, epochNanos())).containsExactly(Label.string("k", "after"));
    }

    @Test
    void givenThreadsThatEnded_whenCaughtUp_thenTheirLogsAreForgottenAndTheirBudgetReturned() throws Exception {
        timeline.follow();
        for (int round = 0; round < 3; round++) {
            List<Thread> started = new ArrayList<>();
            for (int t = 0; t < 1_000; t++) {
                Thread thread = new Thread(() -> {
                    for (int i = 0; i < 50; i++) LabelHook.set(LabelSet.EMPTY.with("i", Integer.toString(i)));
                    LabelHook.set(LabelSet.EMPTY);
                });
                thread.start();
                started.add(thread);
            }
            for (Thread t : started) t.join();
            timeline.catchUp(epochNanos());
        }
        // 3,000 threads of 51 changes each would not fit the bound without logs being read and forgotten.
        assertThat(timeline.dropped()).isZero();
    }

    @Test
    void givenMoreThreadsUnderOneOsIdThanTheBound_whenTheyChangeLabels_thenTheExcessIsDroppedAndCounted()
            throws Exception {
        // Virtual threads are known by the carrier they first changed labels on: many live logs can share an id.
        timeline.follow();
        long sharedId = 4242;
        int threads = LabelTimeline.MAX_LOGS_PER_OS_THREAD + 10;
        java.util.concurrent.CountDownLatch changed = new java.util.concurrent.CountDownLatch(threads);
        java.util.concurrent.CountDownLatch end = new java.util.concurrent.CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                timeline.appendAs(sharedId, LabelSet.EMPTY.with("v", "x"));
                changed.countDown();
                try {
                    end.await(); // all alive at once
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            thread.start();
            started.add(thread);
        }
        changed.await();

        assertThat(timeline.dropped()).isEqualTo(10);
        assertThat(timeline.at(sharedId, LabelTimeline.now())).containsExactly(Label.string("v", "x"));

        end.countDown();
        for (Thread t : started) t.join();
        timeline.catchUp(LabelTimeline.now()); // the ended threads' logs are forgotten: room for new ones
        Thread late = new Thread(() -> timeline.appendAs(sharedId, LabelSet.EMPTY.with("v", "late")));
        late.start();
        late.join();
        assertThat(timeline.dropped()).isEqualTo(10);
        assertThat(timeline.at(sharedId, LabelTimeline.now())).containsExactly(Label.string("v", "late"));
    }

    @Test
    void givenVirtualThreadsMountingOnThisCarrier_whenSampled_thenEachSampleHasTheLabelsOfTheThreadMountedThen()
            throws Exception {
        long carrierId = LabelHook.currentNativeId();
        timeline.follow();
        LabelSet a = LabelSet.EMPTY.with("vt", "a");
        LabelSet b = LabelSet.EMPTY.with("vt", "b");
        Object carrier = timeline.carrier();
        timeline.mounted(carrier, a);
        long duringA = between();
        timeline.unmounted(a, LabelSet.EMPTY);
        long betweenMounts = between();
        timeline.mounted(carrier, b);
        long duringB = between();
        timeline.unmounted(b, LabelSet.EMPTY);
        timeline.mounted(carrier, LabelSet.EMPTY);
        long duringUnlabelled = between();

        assertThat(timeline.at(carrierId, duringA)).containsExactly(Label.string("vt", "a"));
        assertThat(timeline.at(carrierId, betweenMounts)).as("the carrier's scheduling counts with the thread before")
                .containsExactly(Label.string("vt", "a"));
        assertThat(timeline.at(carrierId, duringB)).containsExactly(Label.string("vt", "b"));
        assertThat(timeline.at(carrierId, duringUnlabelled)).isEmpty();
    }

    @Test
    void givenAVirtualThreadWhoseFirstLabelsWentToItsOwnLog_whenItLeavesTheCarrier_thenTheCarriersLabelsApplyAgain()
            throws Exception {
        long carrierId = LabelHook.currentNativeId();
        timeline.follow();
        LabelSet c = LabelSet.EMPTY.with("vt", "c");
        // Its carrier not known yet: a log of its own under the OS thread it ran on.
        Thread virtual = new Thread(() -> timeline.appendAs(carrierId, c));
        virtual.start();
        virtual.join();
        long whileMounted = between();
        timeline.unmounted(c, LabelSet.EMPTY);
        long afterItLeft = between();

        assertThat(timeline.at(carrierId, whileMounted)).containsExactly(Label.string("vt", "c"));
        assertThat(timeline.at(carrierId, afterItLeft)).isEmpty();
    }

    /** A time strictly between the change before and the change after (the logs' clock ticks in nanoseconds). */
    private static long between() throws InterruptedException {
        Thread.sleep(2);
        long t = epochNanos();
        Thread.sleep(2);
        return t;
    }

    private static long epochNanos() {
        return LabelTimeline.now(); // the clock changes are stamped with
    }
}

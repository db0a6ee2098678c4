package dev.diag.labels;

import dev.diag.pprof.Label;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Labels by thread as JFR hands the changes over: a thread that ends labelled is dropped, and the map is bounded. */
class ThreadLabelsTest {

    @Test
    void givenThreadsThatEndLabelled_whenTheirLabelsAreClearedAtExit_thenNoneIsKept() {
        ThreadLabels labels = new ThreadLabels();

        for (long id = 1; id <= 10_000; id++) {
            labels.changed(id, "worker\u0000w" + id);
            labels.changed(id, ""); // what LabelHook.threadEnding commits from Thread.exit
        }

        assertThat(labels.size()).isZero();
        assertThat(labels.dropped()).isZero();
    }

    @Test
    void givenMoreLabelledThreadsThanTheBound_whenChanged_thenTheMapStopsAtItAndCountsTheRest() {
        ThreadLabels labels = new ThreadLabels();

        for (long id = 1; id <= ThreadLabels.MAX_THREADS + 10; id++) labels.changed(id, "k\u0000v");
        labels.changed(1, "k\u0000w"); // a followed thread still changes

        assertThat(labels.size()).isEqualTo(ThreadLabels.MAX_THREADS);
        assertThat(labels.dropped()).isEqualTo(10);
        assertThat(labels.of(1)).containsExactly(Label.string("k", "w"));
        assertThat(labels.of(ThreadLabels.MAX_THREADS + 5L)).isEmpty();
    }

    @Test
    void givenATimeline_whenSamplesAreReadLater_thenEachGetsTheLabelsOfItsOwnTime() throws Exception {
        ThreadLabels labels = ThreadLabels.timeline();
        long self = dev.diag.hook.LabelHook.currentNativeId(); // a timeline knows threads by their OS ids
        assertThat(self).isPositive();
        labels.follow();
        try {
            long before = epochNanos();
            Thread.sleep(2);
            dev.diag.hook.LabelHook.set(dev.diag.hook.LabelSet.EMPTY.with("job", "a"));
            Thread.sleep(2);
            long during = epochNanos();
            Thread.sleep(2);
            dev.diag.hook.LabelHook.set(dev.diag.hook.LabelSet.EMPTY);
            Thread.sleep(2);
            long after = epochNanos();

            assertThat(labels.at(self, before)).isEmpty();
            assertThat(labels.at(self, during)).containsExactly(Label.string("job", "a"));
            assertThat(labels.at(self, after)).isEmpty();
        } finally {
            labels.unfollow();
            dev.diag.hook.LabelHook.set(dev.diag.hook.LabelSet.EMPTY);
        }
    }

    @Test
    void givenATimelineNotFollowed_whenLabelsChange_thenNothingIsQueued() {
        ThreadLabels labels = ThreadLabels.timeline();
        labels.follow();
        labels.unfollow();
        dev.diag.hook.LabelHook.set(dev.diag.hook.LabelSet.EMPTY.with("job", "b"));
        dev.diag.hook.LabelHook.set(dev.diag.hook.LabelSet.EMPTY);

        assertThat(labels.at(dev.diag.hook.LabelHook.currentNativeId(), Long.MAX_VALUE)).isEmpty();
        assertThat(labels.dropped()).isZero();
    }

    private static long epochNanos() {
        java.time.Instant t = java.time.Instant.now();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}

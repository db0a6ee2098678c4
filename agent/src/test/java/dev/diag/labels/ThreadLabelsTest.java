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
}

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
    void givenAHolderThatClosedItsScopeAndEnded_whenAskedAtATimeItHeldTheLock_thenItsLabelsThen() {
        ThreadLabels labels = new ThreadLabels();

        labels.changed(7, 100, "holder\u0000big");
        labels.changed(7, 300, ""); // closed its scope after the release, then ended
        labels.changed(8, 50, "job\u0000x");

        assertThat(labels.at(7, 200)).containsExactly(Label.string("holder", "big"));
        assertThat(labels.at(7, 300)).isEmpty();
        assertThat(labels.at(7, 99)).as("before its first labels").isEmpty();
        assertThat(labels.of(7)).isEmpty();
        assertThat(labels.at(8, 1_000)).containsExactly(Label.string("job", "x"));
        assertThat(labels.size()).isEqualTo(1);
    }

    @Test
    void givenMoreChangesThanTheHistoryKeeps_whenAskedBeforeAllOfThem_thenTheOldestKept() {
        ThreadLabels labels = new ThreadLabels();

        for (int i = 1; i <= 10; i++) labels.changed(1, i * 100L, "k\u0000v" + i);

        assertThat(labels.at(1, 1_000)).containsExactly(Label.string("k", "v10"));
        assertThat(labels.at(1, 750)).containsExactly(Label.string("k", "v7"));
        assertThat(labels.at(1, 150)).containsExactly(Label.string("k", "v7"));
    }
}

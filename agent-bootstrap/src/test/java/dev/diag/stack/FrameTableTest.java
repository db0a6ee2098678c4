package dev.diag.stack;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** One instance per distinct frame, up to a bound; past it frames stay their own and are counted. */
class FrameTableTest {

    @Test
    void givenEqualFramesInTwoStacks_whenShared_thenBothHoldTheFirstInstance() {
        FrameTable table = new FrameTable(10);
        Frame first = new Frame("a.B", "c", "()V", "B.java", 3);
        Frame[] later = {new Frame("a.B", "c", "()V", "B.java", 3), new Frame("a.B", "d", "()V", "B.java", 4)};

        table.share(new Frame[] {first});
        Frame[] shared = table.share(later);

        assertThat(shared).isSameAs(later);
        assertThat(shared[0]).isSameAs(first);
        assertThat(table.size()).isEqualTo(2);
    }

    @Test
    void givenEndlessNewFrames_whenShared_thenTheTableStopsAtItsBoundAndCountsTheRest() {
        FrameTable table = new FrameTable(50);

        for (int i = 0; i < 1_000; i++) table.share(new Frame[] {new Frame("a.B", "m" + i, "()V", "B.java", i)});
        Frame late = new Frame("a.B", "m999", "()V", "B.java", 999);
        Frame[] again = table.share(new Frame[] {late});

        assertThat(table.size()).isEqualTo(50);
        assertThat(table.unshared()).isEqualTo(1_000 - 50 + 1);
        assertThat(again[0]).as("kept as it was, still equal").isSameAs(late);
    }
}

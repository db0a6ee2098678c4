package dev.diag.pprof;

import dev.diag.stack.Frame;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Sums by stack and labels, bounded, the overflow visible as a pseudo-frame. */
class StackValueTableTest {

    @Test
    void givenEndlessNewLabelValues_whenAdded_thenEntriesStopAtTheBoundAndTheRestCountUnderTheOverflowEntry() {
        AtomicLong dropped = new AtomicLong();
        StackValueTable table = new StackValueTable(2, 100, dropped);
        Frame[] stack = {new Frame("a.B", "work", "()V", "B.java", 1)};

        for (int i = 0; i < 1_000; i++) table.add(stack.clone(), List.of(Label.string("round", "" + i)), 1, 5);
        table.add(stack.clone(), List.of(Label.string("round", "0")), 1, 5); // a known entry keeps counting

        assertThat(table.size()).as("100 entries and the overflow entry").isEqualTo(101);
        assertThat(dropped.get()).isEqualTo(900);
        assertThat(table.dropped()).isEqualTo(900);
        List<Sample> samples = table.samples();
        assertThat(samples).anySatisfy(s -> {
            assertThat(s.stack()).containsExactly(StackValueTable.OVERFLOW_FRAME);
            assertThat(s.values()).containsExactly(900, 4_500);
            assertThat(s.labels()).isEmpty();
        });
        assertThat(samples.stream().mapToLong(s -> s.values()[1]).sum()).as("nothing lost").isEqualTo(5_005);
    }

    @Test
    void givenTwoEntriesWithEqualFrames_whenAdded_thenTheyShareTheFrameInstances() {
        StackValueTable table = new StackValueTable(1);

        table.add(new Frame[] {new Frame("a.B", "x", "()V", "B.java", 1), new Frame("a.B", "run", "()V", "B.java", 7)},
                List.of(), 1);
        table.add(new Frame[] {new Frame("a.B", "y", "()V", "B.java", 2), new Frame("a.B", "run", "()V", "B.java", 7)},
                List.of(), 1);

        List<Sample> samples = table.samples();
        assertThat(samples.get(0).stack()[1]).isSameAs(samples.get(1).stack()[1]);
    }
}

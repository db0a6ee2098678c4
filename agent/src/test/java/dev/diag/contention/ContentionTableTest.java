package dev.diag.contention;

import dev.diag.pprof.Sample;
import dev.diag.stack.Frame;
import dev.diag.stack.StackTable;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Contention sites: stack ids from the stack table, bounded, the overflow visible as a pseudo-frame. */
class ContentionTableTest {

    @Test
    void givenEndlessNewHolders_whenAdded_thenSitesStopAtTheBoundAndTheRestCountUnderTheOverflowSite() {
        StackTable stacks = new StackTable(10);
        int stack = stacks.intern(new Frame[] {new Frame("a.B", "lock", "()V", "B.java", 1)});
        ContentionTable table = new ContentionTable(stacks, 100);

        for (int i = 0; i < 1_000; i++) table.add(stack, "thread-" + i, 1, 10);
        table.add(stack, "thread-0", 1, 10); // a known site keeps counting

        List<Sample> samples = table.samples();
        assertThat(table.size()).as("100 sites and the overflow site").isEqualTo(101);
        assertThat(table.dropped()).isEqualTo(900);
        Sample overflow = samples.stream().filter(s -> s.stack()[0] == ContentionTable.OVERFLOW_FRAME).findFirst()
                .orElseThrow();
        assertThat(overflow.values()).containsExactly(900, 9_000);
        assertThat(overflow.labels()).isEmpty();
        assertThat(samples.stream().mapToLong(s -> s.values()[1]).sum()).as("no delay lost").isEqualTo(10_010);
    }

    @Test
    void givenTheStackTableFull_whenJfrStacksKeepComing_thenTheyShareItsOverflowStackAndOneSite() {
        StackTable stacks = new StackTable(2);
        ContentionTable table = new ContentionTable(stacks, 100);

        for (int i = 0; i < 50; i++) {
            int id = stacks.intern(new Frame[] {new Frame("a.B", "m" + i, "()V", "B.java", i)});
            table.addBlockEvent(id, List.of(), 1_000, 1);
        }

        assertThat(table.size()).as("two stacks and the stack table's overflow").isEqualTo(3);
        assertThat(table.samples()).anySatisfy(s -> {
            assertThat(s.stack()[0].functionName()).isEqualTo("diag.stackTableFull");
            assertThat(s.values()).containsExactly(48, 48_000);
        });
    }
}

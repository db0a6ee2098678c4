package dev.diag.stack;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Stack interning: one id per distinct stack, bounded, the overflow visible as a pseudo-frame. */
class StackTableTest {

    @Test
    void givenSameStackTwice_whenInterned_thenSameIdAndFramesComeBack() {
        StackTable table = new StackTable(2);
        Frame[] a = {new Frame("a.B", "c", "()V", "B.java", 3)};
        Frame[] b = {new Frame("a.B", "c", "()V", "B.java", 4)};
        Frame[] c = {new Frame("a.B", "d", "()V", "B.java", 5)};

        int idA = table.intern(a);
        int idA2 = table.intern(a.clone());
        int idB = table.intern(b);
        int idC = table.intern(c);

        assertThat(idA).isEqualTo(idA2).isNotEqualTo(idB);
        assertThat(table.stack(idA).frames()).containsExactly(a);
        assertThat(idC).as("past the bound").isEqualTo(StackTable.OVERFLOW_ID);
        assertThat(table.stack(idC).frames()[0].functionName()).isEqualTo("diag.stackTableFull");
        assertThat(table.size()).isEqualTo(2);
    }

    @Test
    void givenThreadsInterningTheSameNewStacksAtOnce_whenDone_thenEachStackHasOneIdEveryoneAgreesOn() throws Exception {
        StackTable table = new StackTable(1_000);
        int threads = 8;
        int stacks = 200;
        int[][] seen = new int[threads][stacks];
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int me = t;
            workers[t] = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    return;
                }
                for (int i = 0; i < stacks; i++) {
                    seen[me][i] = table.intern(new Frame[] {new Frame("a.B", "m" + i, "()V", "B.java", i)});
                }
            });
            workers[t].start();
        }
        for (Thread w : workers) w.join();

        for (int i = 0; i < stacks; i++) {
            for (int t = 1; t < threads; t++) assertThat(seen[t][i]).as("stack %d, thread %d", i, t).isEqualTo(seen[0][i]);
            assertThat(table.stack(seen[0][i]).frames()[0].methodName()).isEqualTo("m" + i);
        }
        assertThat(table.size()).isEqualTo(stacks);
    }

    @Test
    void givenEndlessNewStacks_whenInterned_thenSizeStopsAtTheBoundAndEveryLaterStackIsCountedAsDropped() {
        StackTable table = new StackTable(100, new FrameTable(1_000));

        for (int i = 0; i < 10_000; i++) {
            table.intern(new Frame[] {new Frame("a.B", "leaf" + i, "()V", "B.java", 1), new Frame("a.B", "main", "()V",
                    "B.java", 2)});
        }

        assertThat(table.size()).isEqualTo(100);
        assertThat(table.dropped()).isEqualTo(10_000 - 100);
        assertThat(table.stack(101)).as("the last id kept").isNotNull();
        assertThat(table.stack(102)).as("no id past the bound").isNull();
    }

    @Test
    void givenStacksSharingFrames_whenInterned_thenTheyHoldOneInstanceOfEachFrame() {
        StackTable table = new StackTable(10, new FrameTable(1_000));

        int a = table.intern(new Frame[] {new Frame("a.B", "x", "()V", "B.java", 1), new Frame("a.B", "main", "()V",
                "B.java", 9)});
        int b = table.intern(new Frame[] {new Frame("a.B", "y", "()V", "B.java", 2), new Frame("a.B", "main", "()V",
                "B.java", 9)});

        assertThat(table.stack(a).frames()[1]).isSameAs(table.stack(b).frames()[1]);
    }
}

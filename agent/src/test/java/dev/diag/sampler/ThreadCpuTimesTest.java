package dev.diag.sampler;

import dev.diag.hook.LabelHook;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The kernel's CPU time per thread, against the JVM's own measure of the calling thread. */
class ThreadCpuTimesTest {
    private static volatile long sink;

    @Test
    void givenThisThreadBurnsCpu_whenReadBeforeAndAfter_thenItsCpuGrowsAsTheJvmMeasuresIt() {
        long self = LabelHook.currentNativeId();
        var jvm = ManagementFactory.getThreadMXBean();

        Map<Long, Long> before = ThreadCpuTimes.read();
        long jvmBefore = jvm.getCurrentThreadCpuTime();
        long h = 1;
        for (int i = 0; i < 200_000_000; i++) h = 31 * h + i;
        sink = h;
        long jvmSpent = jvm.getCurrentThreadCpuTime() - jvmBefore;
        Map<Long, Long> after = ThreadCpuTimes.read();

        assertThat(before).containsKey(self);
        long spent = after.get(self) - before.get(self);
        assertThat((double) spent / jvmSpent).as("kernel %s ns, JVM %s ns", spent, jvmSpent).isBetween(0.9, 1.2);
    }
}

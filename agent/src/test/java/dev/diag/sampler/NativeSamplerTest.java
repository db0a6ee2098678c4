package dev.diag.sampler;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The native sampler in this very JVM: the library from the build's resources, the real profiler, real samples. */
class NativeSamplerTest {
    private static volatile long sink;
    private static volatile Object kept;

    @Test
    void givenCpuAndAllocListeners_whenTheThreadBurnsAndAllocates_thenSamplesCarryItsStackThreadAndSizes() {
        NativeSampler sampler = NativeSampler.open(null, 1_000_000L, 64 * 1024, 10_000_000L);
        assertThat(sampler).as(AsyncProfilerLibrary.failure()).isNotNull();
        List<NativeSampler.Sample> cpu = new ArrayList<>();
        List<NativeSampler.Sample> alloc = new ArrayList<>();
        try {
            assertThat(sampler.add(NativeSampler.Kind.CPU, cpu::add)).isTrue();
            assertThat(sampler.add(NativeSampler.Kind.ALLOC, alloc::add)).isTrue();
            // CPU time, not wall time: on a loaded machine 300 ms of wall time held as few as 50 samples' worth.
            burnAndAllocate(300_000_000L, java.lang.management.ManagementFactory.getThreadMXBean()::getCurrentThreadCpuTime);
            assertThat(sampler.rotate()).isTrue();
        } finally {
            sampler.close();
        }

        long self = Thread.currentThread().getId();
        assertThat(cpu).as("CPU samples in burnAndAllocate on this thread")
                .filteredOn(s -> s.javaThreadId() == self && hasFrame(s, "burnAndAllocate")).hasSizeGreaterThan(50);
        assertThat(alloc).as("allocation samples of the 4 KiB arrays").filteredOn(s -> hasFrame(s, "burnAndAllocate"))
                .isNotEmpty().allSatisfy(s -> {
                    assertThat(s.objectClass()).isEqualTo("[B"); // the JVM's own name of byte[]
                    assertThat(s.objectSize()).isBetween(4096L, 4096L + 32);
                });
        List<Long> times = cpu.stream().map(NativeSampler.Sample::epochNanos).toList();
        assertThat(times).as("in time order").isSorted();
        assertThat(sampler.rotate()).as("closed for good").isFalse();
    }

    @Test
    void givenNoListener_whenRotated_thenNothingRunsAndNothingIsDelivered() {
        NativeSampler sampler = NativeSampler.open(null, 10_000_000L, 512 * 1024, 10_000_000L);
        assertThat(sampler).isNotNull();
        List<NativeSampler.Sample> cpu = new ArrayList<>();
        NativeSampler.Listener listener = cpu::add;
        assertThat(sampler.add(NativeSampler.Kind.CPU, listener)).isTrue();
        sampler.remove(NativeSampler.Kind.CPU, listener);
        int delivered = cpu.size();
        burnAndAllocate(50_000_000L);
        assertThat(sampler.rotate()).isTrue();
        sampler.close();

        assertThat(cpu).hasSize(delivered);
    }

    @Test
    void givenAWallListener_whenOneThreadSleepsAndOneBurns_thenBothAreSampledWithTheirStatesForTheirWholeTime()
            throws Exception {
        NativeSampler sampler = NativeSampler.open(null, 10_000_000L, 512 * 1024, 10_000_000L);
        assertThat(sampler).isNotNull();
        List<NativeSampler.Sample> wall = new ArrayList<>();
        Thread sleeper = new Thread(NativeSamplerTest::sleepInPlace, "sleeper");
        long sampledFrom = System.nanoTime();
        long burnStart;
        long burnEnd;
        long sampledTo;
        try {
            assertThat(sampler.add(NativeSampler.Kind.WALL, wall::add)).isTrue();
            sleeper.start();
            burnStart = System.nanoTime();
            burnAndAllocate(600_000_000L);
            burnEnd = System.nanoTime();
            assertThat(sampler.rotate()).isTrue();
            sampledTo = System.nanoTime();
        } finally {
            sleeper.interrupt();
            sampler.close();
        }

        long sleeping = wall.stream().filter(s -> s.javaThreadId() == sleeper.getId() && hasFrame(s, "sleepInPlace"))
                .mapToLong(NativeSampler.Sample::count).sum();
        long burning = wall.stream().filter(s -> s.javaThreadId() == Thread.currentThread().getId()
                && hasFrame(s, "burnAndAllocate")).mapToLong(NativeSampler.Sample::count).sum();
        // One sample per 10 ms of wall time per thread, running or sleeping: at least two thirds of the burn's
        // periods each, at most the periods the sampler ran. Both times are measured, as a busy machine stretches
        // them (600 ms of burning took over a second at a load of 20).
        long burnPeriods = (burnEnd - burnStart) / 10_000_000L;
        long sampledPeriods = (sampledTo - sampledFrom) / 10_000_000L;
        assertThat(sleeping).isBetween(burnPeriods * 2 / 3, sampledPeriods + 5);
        assertThat(burning).isBetween(burnPeriods * 2 / 3, sampledPeriods + 5);
        assertThat(wall).filteredOn(s -> hasFrame(s, "sleepInPlace")).allMatch(s -> !"STATE_RUNNABLE".equals(s.state()));
    }

    private static void sleepInPlace() {
        try {
            Thread.sleep(60_000);
        } catch (InterruptedException ignored) {
            // the test is over
        }
    }

    private static boolean hasFrame(NativeSampler.Sample s, String method) {
        return Arrays.stream(s.stack()).anyMatch(f -> f.toString().contains(method));
    }

    /** Burns and allocates for {@code nanos} of wall time. */
    private static void burnAndAllocate(long nanos) {
        burnAndAllocate(nanos, System::nanoTime);
    }

    /**
     * Burns and allocates until {@code clock} (wall time, or this thread's CPU time) has advanced {@code nanos}, at
     * most a minute of wall time.
     */
    private static void burnAndAllocate(long nanos, java.util.function.LongSupplier clock) {
        long end = clock.getAsLong() + nanos;
        long wallEnd = System.nanoTime() + 60_000_000_000L;
        long h = 7;
        while (clock.getAsLong() < end && System.nanoTime() < wallEnd) {
            for (int i = 0; i < 10_000; i++) h = 31 * h + (i ^ (h >>> 7));
            kept = new byte[4096];
        }
        sink = h;
    }
}

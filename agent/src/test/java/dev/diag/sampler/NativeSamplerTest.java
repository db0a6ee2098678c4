package dev.diag.sampler;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The native sampler in this very JVM: the library from the build's resources, the real profiler, real samples. */
class NativeSamplerTest {
    private static volatile long sink;
    private static volatile Object kept;
    /** Made (and first read) here, so that its own allocations are not in the sampled burn's. */
    private static final LongSupplier THREAD_CPU_TIME = threadCpuTime();

    @Test
    void givenCpuAndAllocListeners_whenTheThreadBurnsAndAllocates_thenSamplesCarryItsStackThreadAndSizes() {
        NativeSampler sampler = NativeSampler.open(null, 1_000_000L, false, 64 * 1024, 10_000_000L);
        assertThat(sampler).as(AsyncProfilerLibrary.failure()).isNotNull();
        List<NativeSampler.Sample> cpu = new ArrayList<>();
        List<NativeSampler.Sample> alloc = new ArrayList<>();
        try {
            assertThat(sampler.add(NativeSampler.Kind.CPU, cpu::add)).isTrue();
            assertThat(sampler.add(NativeSampler.Kind.ALLOC, alloc::add)).isTrue();
            burnAndAllocate(300_000_000L);
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
    void givenAWatchedWindow_whenTheThreadBurns_thenItsCpuSamplesComeAtTheAskedRateNotTheKernelsTick() {
        NativeSampler sampler = NativeSampler.open(null, 1_000_000L, false, 512 * 1024, 10_000_000L);
        assertThat(sampler).as(AsyncProfilerLibrary.failure()).isNotNull();
        sampler.exactHeadCpuNanos(0);
        List<NativeSampler.Sample> cpu = java.util.Collections.synchronizedList(new ArrayList<>());
        long self = Thread.currentThread().getId();
        long watchedCpu;
        String background;
        try {
            assertThat(sampler.add(NativeSampler.Kind.CPU, cpu::add)).isTrue();
            burnAndAllocate(100_000_000L);
            background = sampler.cpuTimersUsed();
            sampler.watch(true); // switches the recording now: what came before is handed over first
            cpu.clear();
            long start = THREAD_CPU_TIME.getAsLong();
            burnAndAllocate(600_000_000L);
            watchedCpu = THREAD_CPU_TIME.getAsLong() - start;
            assertThat(sampler.rotate()).isTrue();
        } finally {
            sampler.close();
        }

        assertThat(background).as("nobody watching: the timer that rides the kernel's tick").isIn("ctimer", "itimer");
        long samples;
        synchronized (cpu) {
            samples = cpu.stream().filter(s -> s.javaThreadId() == self && hasFrame(s, "burnAndAllocate")).count();
        }
        if (sampler.cpuTimersUsed().contains("perf_events")) {
            // One per millisecond of CPU, as asked; a kernel ticking 250 times a second would give a quarter.
            assertThat((double) samples).as("samples in %d ms of CPU", watchedCpu / 1_000_000)
                    .isGreaterThan(0.8 * watchedCpu / 1_000_000);
        } else {
            assertThat(sampler.cpuTimersUsed()).as("no perf events here: the tick's timer throughout")
                    .isEqualTo(background);
        }
    }

    @Test
    void givenTheExactHeadSpent_whenTheThreadBurnsOn_thenTheRecordingSwitchesToTheTicksTimerByItself() {
        NativeSampler sampler = NativeSampler.open(null, 1_000_000L, false, 512 * 1024, 10_000_000L);
        assertThat(sampler).as(AsyncProfilerLibrary.failure()).isNotNull();
        sampler.exactHeadCpuNanos(300_000_000L);
        List<NativeSampler.Sample> cpu = java.util.Collections.synchronizedList(new ArrayList<>());
        String head;
        String all;
        try {
            assertThat(sampler.add(NativeSampler.Kind.CPU, cpu::add)).isTrue();
            head = sampler.cpuTimersUsed();
            // The sampler looks at the process's CPU once a second: long enough for it to see the head spent.
            burnAndAllocate(2_500_000_000L);
            assertThat(sampler.rotate()).isTrue();
            all = sampler.cpuTimersUsed();
        } finally {
            sampler.close();
        }

        if (head.equals("perf_events")) {
            assertThat(all).as("the head by perf_events, then the tick's timer").isIn("perf_events and ctimer",
                    "perf_events and itimer");
        } else {
            assertThat(all).as("no perf events here: the tick's timer throughout").isEqualTo(head);
        }
    }

    @Test
    void givenAThreadThatAllocates_whenRotated_thenItsWeighedSamplesAddUpToTheBytesTheJvmCounted() {
        long rate = 256 * 1024;
        NativeSampler sampler = NativeSampler.open(null, 10_000_000L, false, rate, 10_000_000L);
        assertThat(sampler).as(AsyncProfilerLibrary.failure()).isNotNull();
        List<NativeSampler.Sample> alloc = new ArrayList<>();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        long allocated;
        try {
            assertThat(sampler.add(NativeSampler.Kind.ALLOC, alloc::add)).isTrue();
            long before = threads.getThreadAllocatedBytes(self);
            for (int i = 0; i < 40_000; i++) kept = new byte[1024 + (i % 7) * 512];
            allocated = threads.getThreadAllocatedBytes(self) - before;
            assertThat(sampler.rotate()).isTrue();
        } finally {
            sampler.close();
        }

        double weighed = alloc.stream().filter(s -> s.javaThreadId() == self)
                .mapToDouble(s -> AllocationScale.bytes(s.objectSize(), rate) * s.allocWeight()).sum();
        // The recording also saw the few bytes this thread allocated around the loop: within 2 %, not 10-20 %
        // (Go's unbiased estimate from ~200 samples).
        assertThat(weighed / allocated).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.02));
    }

    @Test
    void givenAnotherJavaThreadEndedOnThisOsThreadLater_whenRotated_thenTheEarlierSamplesAreGivenToIt() {
        NativeSampler sampler = NativeSampler.open(null, 1_000_000L, false, 512 * 1024, 10_000_000L);
        assertThat(sampler).as(AsyncProfilerLibrary.failure()).isNotNull();
        List<NativeSampler.Sample> cpu = new ArrayList<>();
        long os = dev.diag.hook.NativeThreadIds.current();
        long before = sampler.javaIdsCorrected();
        long ended;
        try {
            assertThat(sampler.add(NativeSampler.Kind.CPU, cpu::add)).isTrue();
            burnAndAllocate(100_000_000L);
            ended = dev.diag.pprof.EpochNanos.now();
            // As when main returns and its OS thread goes on as DestroyJavaVM: a Java thread 424242 ended here now.
            OsThreadOwners.INSTANCE.ended(os, 424242, ended);
            burnAndAllocate(100_000_000L);
            assertThat(sampler.rotate()).isTrue();
        } finally {
            sampler.close();
        }

        List<NativeSampler.Sample> mine = cpu.stream().filter(s -> s.osThreadId() == os).toList();
        assertThat(mine).filteredOn(s -> s.epochNanos() <= ended).isNotEmpty()
                .allMatch(s -> s.javaThreadId() == 424242);
        assertThat(mine).filteredOn(s -> s.epochNanos() > ended).isNotEmpty()
                .allMatch(s -> s.javaThreadId() == Thread.currentThread().getId());
        assertThat(sampler.javaIdsCorrected() - before).isEqualTo(mine.stream().filter(s -> s.epochNanos() <= ended).count());
    }

    @Test
    void givenNoListener_whenRotated_thenNothingRunsAndNothingIsDelivered() {
        NativeSampler sampler = NativeSampler.open(null, 10_000_000L, false, 512 * 1024, 10_000_000L);
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
        NativeSampler sampler = NativeSampler.open(null, 10_000_000L, false, 512 * 1024, 10_000_000L);
        assertThat(sampler).isNotNull();
        List<NativeSampler.Sample> wall = new ArrayList<>();
        Thread sleeper = new Thread(NativeSamplerTest::sleepInPlace, "sleeper");
        long burned;
        long sampled;
        try {
            assertThat(sampler.add(NativeSampler.Kind.WALL, wall::add)).isTrue();
            sleeper.start();
            long t0 = System.nanoTime();
            burnAndAllocate(600_000_000L, System::nanoTime);
            burned = System.nanoTime() - t0;
            assertThat(sampler.rotate()).isTrue();
            sampled = System.nanoTime() - t0; // the sampler ran until the rotation stopped it
        } finally {
            // The sampler first: an interrupted sleeper runs its catch block in sleepInPlace, and a sample of that
            // is rightly RUNNABLE (seen once on a quiet machine).
            sampler.close();
            sleeper.interrupt();
        }

        long sleeping = wall.stream().filter(s -> s.javaThreadId() == sleeper.getId() && hasFrame(s, "sleepInPlace"))
                .mapToLong(NativeSampler.Sample::count).sum();
        long burning = wall.stream().filter(s -> s.javaThreadId() == Thread.currentThread().getId()
                && hasFrame(s, "burnAndAllocate")).mapToLong(NativeSampler.Sample::count).sum();
        // One period per 10 ms, running or sleeping: the 600 ms burn's 60, up to those until the sampler stopped (on a
        // loaded machine the rotation takes a second, and the timer thread misses up to half of the periods).
        long fewest = burned / 10_000_000L / 2;
        long most = sampled / 10_000_000L + 10;
        assertThat(sleeping).as("burned %d ms, sampled %d ms", burned / 1_000_000, sampled / 1_000_000)
                .isBetween(fewest, most);
        assertThat(burning).as("burned %d ms, sampled %d ms", burned / 1_000_000, sampled / 1_000_000)
                .isBetween(fewest, most);
        assertThat(wall).filteredOn(s -> hasFrame(s, "sleepInPlace")).allMatch(s -> !"STATE_RUNNABLE".equals(s.state()));
    }

    private static void sleepInPlace() {
        try {
            Thread.sleep(60_000);
        } catch (InterruptedException ignored) {
            // the test is over
        }
    }

    private static LongSupplier threadCpuTime() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        mx.getCurrentThreadCpuTime();
        return mx::getCurrentThreadCpuTime;
    }

    private static boolean hasFrame(NativeSampler.Sample s, String method) {
        return Arrays.stream(s.stack()).anyMatch(f -> f.toString().contains(method));
    }

    /** Burns {@code nanos} of this thread's CPU time (not wall time: on a loaded machine the thread gets less CPU). */
    private static void burnAndAllocate(long nanos) {
        burnAndAllocate(nanos, THREAD_CPU_TIME);
    }

    private static void burnAndAllocate(long nanos, LongSupplier clock) {
        long end = clock.getAsLong() + nanos;
        long h = 7;
        while (clock.getAsLong() < end) {
            for (int i = 0; i < 10_000; i++) h = 31 * h + (i ^ (h >>> 7));
            kept = new byte[4096];
        }
        sink = h;
    }
}

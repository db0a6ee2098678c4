package dev.diag.sampler;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * diag's own reader of async-profiler's files against the JDK's parser, on files the bundled library recorded in this
 * very JVM: the same samples, in the same order.
 */
class SampleFileReaderTest {
    private static volatile long sink;
    private static volatile Object kept;
    @TempDir
    static Path dir;
    private static Path cpuAndAlloc;
    private static Path wall;

    @BeforeAll
    static void record() throws Exception {
        AsyncProfilerLibrary library = AsyncProfilerLibrary.load(null);
        assertThat(library).as(AsyncProfilerLibrary.failure()).isNotNull();
        cpuAndAlloc = dir.resolve("cpu-alloc.jfr");
        library.execute("start,event=cpu,interval=1000000,alloc=65536,loglevel=none,jfr,file=" + cpuAndAlloc);
        try {
            Thread other = new Thread(() -> burnAndAllocate(150_000_000L), "other-burner");
            other.start();
            burnAndAllocate(250_000_000L);
            other.join();
        } finally {
            library.execute("stop");
        }
        wall = dir.resolve("wall.jfr");
        Thread sleeper = new Thread(SampleFileReaderTest::sleepInPlace, "sleeper");
        library.execute("start,wall=10000000,loglevel=none,jfr,file=" + wall);
        try {
            sleeper.start();
            burnAndAllocate(200_000_000L);
        } finally {
            library.execute("stop");
            sleeper.interrupt();
        }
    }

    /**
     * Waits (30 s at most) for the JIT compilers to finish with the JDK's parser: busy for seconds after it, on 2
     * cores they starve the next test class's threads, and a wall-clock test that counts its periods fails.
     */
    @AfterAll
    static void letTheCompilersSettle() throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) return;
        long last = -1;
        for (long end = System.nanoTime() + 30_000_000_000L; System.nanoTime() < end; ) {
            long now = jit.getTotalCompilationTime();
            if (now == last) return;
            last = now;
            Thread.sleep(500);
        }
    }

    @Test
    void givenCpuAndAllocationSamples_whenRead_thenTheyAreTheJdkParsersSamples() throws Exception {
        List<List<Object>> ours = fields(SampleFileReader.read(cpuAndAlloc));
        List<List<Object>> jdk = fields(JdkSampleFileReader.read(cpuAndAlloc));

        assertThat(ours).isEqualTo(jdk);
        assertThat(ours).as("CPU samples").filteredOn(s -> s.get(0) == NativeSampler.Kind.CPU).hasSizeGreaterThan(20);
        assertThat(ours).as("allocation samples of byte[]").filteredOn(s -> s.get(0) == NativeSampler.Kind.ALLOC)
                .isNotEmpty().anyMatch(s -> "[B".equals(s.get(6)));
    }

    @Test
    void givenWallClockSamples_whenRead_thenTheyAreTheJdkParsersSamplesWithStatesAndCounts() throws Exception {
        List<List<Object>> ours = fields(SampleFileReader.read(wall));
        List<List<Object>> jdk = fields(JdkSampleFileReader.read(wall));

        assertThat(ours).isEqualTo(jdk);
        assertThat(ours).filteredOn(s -> "STATE_SLEEPING".equals(s.get(8))).isNotEmpty();
        assertThat(ours).filteredOn(s -> "STATE_RUNNABLE".equals(s.get(8))).isNotEmpty();
    }

    @Test
    void givenAFileOfTwoChunks_whenRead_thenBothChunksAreTheJdkParsersSamples() throws Exception {
        // The same recording twice: the JDK's parser takes a constant of an earlier chunk for one of the same key in
        // a later chunk, and converts every chunk's times with the first chunk's clock, as holds within one recording;
        // two different recordings one after the other are not one recording.
        byte[] once = Files.readAllBytes(cpuAndAlloc);
        Path twice = dir.resolve("twice.jfr");
        Files.write(twice, concat(once, once));

        List<List<Object>> ours = fields(SampleFileReader.read(twice));

        assertThat(ours).isEqualTo(fields(JdkSampleFileReader.read(twice)));
        List<List<Object>> chunkByChunk = new ArrayList<>(fields(SampleFileReader.read(once)));
        chunkByChunk.addAll(chunkByChunk);
        assertThat(ours).isEqualTo(chunkByChunk);
    }

    @Test
    void givenAFileCutShort_whenRead_thenItsCompleteChunksAreReadAndNothingThrows() throws Exception {
        byte[] first = Files.readAllBytes(cpuAndAlloc);
        byte[] both = concat(first, Files.readAllBytes(wall));

        byte[] cutInTheSecondChunk = Arrays.copyOf(both, first.length + (both.length - first.length) / 2);
        byte[] cutInHalf = Arrays.copyOf(both, both.length / 2);

        assertThat(fields(SampleFileReader.read(cutInTheSecondChunk)))
                .isEqualTo(fields(SampleFileReader.read(first))).isNotEmpty();
        assertThatCode(() -> SampleFileReader.read(cutInHalf)).doesNotThrowAnyException();
        assertThatCode(() -> SampleFileReader.read(Arrays.copyOf(first, 10))).doesNotThrowAnyException();
    }

    @Test
    void givenSomethingElse_whenRead_thenItSaysItCannotRatherThanReturnNothing() {
        byte[] notJfr = "this is not a recording, but long enough to hold a chunk header of 68 bytes, surely".getBytes();

        assertThatCode(() -> SampleFileReader.read(notJfr)).isInstanceOf(JfrFormatException.class);
    }

    /** What the sampler uses of a sample, comparable (the stack as a list of frames). */
    private static List<List<Object>> fields(List<NativeSampler.Sample> samples) {
        List<List<Object>> out = new ArrayList<>();
        for (NativeSampler.Sample s : samples) {
            out.add(Arrays.asList(s.kind(), s.javaThreadId(), s.osThreadId(), s.epochNanos(), Arrays.asList(s.stack()),
                    s.objectSize(), s.objectClass(), s.count(), s.state(), s.cpuNanos(), s.allocWeight()));
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void sleepInPlace() {
        try {
            Thread.sleep(60_000);
        } catch (InterruptedException ignored) {
            // the recording is over
        }
    }

    /** Burns {@code nanos} of wall time, allocating 4 KiB arrays as it goes. */
    private static void burnAndAllocate(long nanos) {
        long end = System.nanoTime() + nanos;
        long h = 7;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 10_000; i++) h = 31 * h + (i ^ (h >>> 7));
            kept = new byte[4096];
        }
        sink = h;
    }
}

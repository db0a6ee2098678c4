package dev.diag.stack;

import dev.diag.stackfixture.CaptureSites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one stack path: a cache keyed by what identifies each frame, exact, bounded, and showing what a slow capture
 * shows, with the key read from a backtrace (HotSpot; the tests run with the export the agent makes) or a StackWalker.
 */
class StackCaptureTest {
    private static final String SITES = CaptureSites.class.getName();

    enum Source {
        BACKTRACE(true), STACK_WALKER(false);

        final boolean fromBacktrace;

        Source(boolean fromBacktrace) {
            this.fromBacktrace = fromBacktrace;
        }

        StackCapture capture(int cacheCapacity) {
            StackCapture c = new StackCapture(32, 64, false, cacheCapacity, fromBacktrace);
            assertThat(c.readsBacktraces()).as("keys from backtraces").isEqualTo(fromBacktrace);
            return c;
        }
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void givenSameCallSite_whenCapturedAgain_thenSameIdFromOneCacheEntry(Source source) {
        StackCapture capture = source.capture(StackCache.CAPACITY);

        int[] ids = new int[3];
        long[] cached = new long[3];
        for (int i = 0; i < 3; i++) { // one call site: the same stack each time
            ids[i] = CaptureSites.atDepth(capture, 3);
            cached[i] = capture.cacheSize();
        }

        assertThat(ids).containsOnly(ids[0]);
        assertThat(cached).containsOnly(1L);
        Frame[] frames = StackTable.SHARED.stack(ids[0]).frames();
        assertThat(frames[0].functionName()).isEqualTo(SITES + ".siteA");
        assertThat(frames[1].functionName()).isEqualTo(SITES + ".atDepth");
        assertThat(frames[0].line()).isPositive();
        assertThat(frames[0].descriptor()).isEqualTo("(Ldev/diag/stack/StackCapture;)I");
    }

    /** Two call paths whose frames have the same (class, bci) all along: lambdas, or method handles, one call site. */
    enum Dispatch { LAMBDAS, METHOD_HANDLES }

    @ParameterizedTest
    @CsvSource({"LAMBDAS,BACKTRACE", "LAMBDAS,STACK_WALKER", "METHOD_HANDLES,BACKTRACE", "METHOD_HANDLES,STACK_WALKER"})
    void givenTwoTargetsWhoseFramesHaveTheSameClassesAndBcis_whenCaptured_thenDifferentIdsWithTheirOwnMethods(
            Dispatch dispatch, Source source) throws Throwable {
        StackCapture capture = source.capture(StackCache.CAPACITY);

        int[][] runs = new int[2][];
        for (int i = 0; i < 2; i++) {
            runs[i] = dispatch == Dispatch.LAMBDAS ? CaptureSites.fromTwoLambdas(capture)
                    : CaptureSites.fromTwoMethodHandles(capture);
        }

        int[] ids = runs[0];
        assertThat(ids[0]).isNotEqualTo(ids[1]);
        assertThat(runs[1]).as("second run: from the cache").containsExactly(ids);
        assertThat(StackTable.SHARED.stack(ids[0]).frames()[0].methodName()).isEqualTo("siteA");
        assertThat(StackTable.SHARED.stack(ids[1]).frames()[0].methodName()).isEqualTo("siteB");
        assertThat(StackTable.SHARED.stack(ids[0]).frames())
                .noneMatch(f -> f.className().contains("$$Lambda") || f.className().startsWith("java.lang.invoke."));
    }

    @Test
    void givenStackDeeperThanTheCap_whenCaptured_thenInnermostFramesKeptUpToTheCap() {
        StackCapture capture = StackCapture.WAIT_SITE;

        int id = CaptureSites.atDepth(capture, 100);

        Frame[] frames = StackTable.SHARED.stack(id).frames();
        assertThat(frames).hasSize(StackCapture.WAIT_SITE_DEPTH);
        assertThat(frames[0].functionName()).isEqualTo(SITES + ".siteA");
        assertThat(java.util.Arrays.copyOfRange(frames, 1, frames.length)).allSatisfy(f -> assertThat(f.functionName()).isEqualTo(SITES + ".atDepth"));
    }

    @Test
    void givenBothSources_whenTheSameStacksCaptured_thenTheSameFramesAndIds() throws Throwable {
        StackCapture[] both = {Source.BACKTRACE.capture(StackCache.CAPACITY),
                Source.STACK_WALKER.capture(StackCache.CAPACITY)};

        for (int depth : new int[] {0, 5, 40, 100}) {
            int[] ids = new int[2];
            for (int k = 0; k < 2; k++) ids[k] = CaptureSites.atDepth(both[k], depth);
            assertThat(ids[0]).as("depth " + depth).isEqualTo(ids[1]);
        }
        int[][] lambdas = new int[2][];
        int[] reflected = new int[2];
        for (int k = 0; k < 2; k++) {
            lambdas[k] = CaptureSites.fromTwoLambdas(both[k]);
            reflected[k] = CaptureSites.throughReflection(both[k]);
        }
        assertThat(lambdas[0]).containsExactly(lambdas[1]);
        assertThat(reflected[0]).isEqualTo(reflected[1]);
        assertThat(StackTable.SHARED.stack(reflected[0]).frames()).extracting(Frame::methodName)
                .as("no Method.invoke or accessor frame between the two").startsWith("siteA", "throughReflection");
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void givenFullCache_whenNewStacksCaptured_thenCountedAndStillExact(Source source) {
        StackCapture capture = source.capture(4);
        int[][] runs = new int[2][8];

        for (int r = 0; r < 2; r++) {
            for (int d = 0; d < 8; d++) runs[r][d] = CaptureSites.atDepth(capture, d);
        }
        int[] ids = runs[0];
        int[] again = runs[1];

        assertThat(ids).doesNotHaveDuplicates();
        assertThat(again).containsExactly(ids);
        assertThat(capture.cacheSize()).isEqualTo(4);
        assertThat(capture.cacheFull()).isGreaterThanOrEqualTo(4);
        for (int d = 0; d < ids.length; d++) {
            assertThat(StackTable.SHARED.stack(ids[d]).frames()).filteredOn(f -> f.methodName().equals("atDepth"))
                    .hasSize(d + 1);
        }
    }
}

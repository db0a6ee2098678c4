package dev.diag.stack;

import dev.diag.stackfixture.CaptureSites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The one stack path: a cache keyed by (class, bci) that is exact, bounded, and shows what a slow capture shows. */
class StackCaptureTest {
    private static final String SITES = CaptureSites.class.getName();

    @Test
    void givenSameCallSite_whenCapturedAgain_thenSameIdFromOneCacheEntry() {
        StackCapture capture = new StackCapture(32, 64, false);

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
    @EnumSource(Dispatch.class)
    void givenTwoTargetsWhoseFramesHaveTheSameClassesAndBcis_whenCaptured_thenDifferentIdsWithTheirOwnMethods(
            Dispatch dispatch) throws Throwable {
        StackCapture capture = new StackCapture(32, 64, false);

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
    void givenFullCache_whenNewStacksCaptured_thenCountedAndStillExact() {
        StackCapture capture = new StackCapture(32, 64, false, 4);
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

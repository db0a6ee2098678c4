package dev.diag.trace;

import dev.diag.hook.LabelSet;
import dev.diag.hook.TraceEventLog;
import dev.diag.ring.RecordType;
import dev.diag.stack.Frame;
import dev.diag.stack.StackTable;
import dev.diag.trace.Timeline.Block;
import dev.diag.trace.Timeline.BlockKind;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TimelineBuilderTest {
    private static final Frame[] STACK = {new Frame("java.util.concurrent.locks.ReentrantLock", "lock", null, "ReentrantLock.java", 322)};
    private static final long TID = Thread.currentThread().getId();

    @Test
    void givenParkAndAnUnparkInsideIt_whenBuilt_thenTheUnparkerIsTheWaker() {
        TraceEventLog log = new TraceEventLog(16);
        long waker = 4242;
        log.append(TraceEventLog.TYPE_UNPARK, waker, TID, 0, null, null);
        long[] unparkTs = new long[1];
        log.read((ts, type, tid, a, b, r1, r2) -> unparkTs[0] = ts);
        TimelineBuilder b = new TimelineBuilder(unparkTs[0] - 10_000_000, unparkTs[0] + 10_000_000);

        b.addBlock(TID, BlockKind.SYNC, unparkTs[0] - 5_000_000, unparkTs[0] + 20_000, STACK, TimelineBuilder.WAKER_FROM_UNPARKS);
        b.addLog(log, StackTable.SHARED);
        Timeline t = b.build();

        Block block = t.threads.get(TID).blocks.get(0);
        assertThat(block.waker()).isEqualTo(waker);
        assertThat(block.kind()).isEqualTo(BlockKind.SYNC);
    }

    @Test
    void givenParkRecordsFromTheRing_whenBuilt_thenEachIsAWaitAtItsSiteWithItsKindAndWaker() {
        TraceEventLog log = new TraceEventLog(16);
        int lockSite = StackTable.SHARED.intern(STACK);
        int awaitSite = StackTable.SHARED.intern(new Frame[] {new Frame("app.Worker", "awaitWork", null, null, 7)});
        long waker = 4242;
        long t0 = 1_000_000_000L;
        log.appendAt(t0 + 5_000_000, TraceEventLog.TYPE_UNPARK, waker, TID, 0, null, null);
        log.appendAt(t0 + 5_010_000, TraceEventLog.TYPE_PARK, TID, 4_000_000, lockSite, null, null);
        log.appendAt(t0 + 9_000_000, TraceEventLog.TYPE_PARK, TID, 2_000_000,
                (RecordType.HINT_CONDITION << 32) | awaitSite, null, null);
        TimelineBuilder b = new TimelineBuilder(t0, t0 + 10_000_000);

        b.addLog(log, StackTable.SHARED);
        Timeline t = b.build();

        assertThat(t.threads.get(TID).blocks).hasSize(2);
        Block lock = t.threads.get(TID).blocks.get(0);
        assertThat(lock.kind()).isEqualTo(BlockKind.SYNC);
        assertThat(lock.begin()).isEqualTo(t0 + 1_010_000);
        assertThat(lock.end()).isEqualTo(t0 + 5_010_000);
        assertThat(lock.stack()).containsExactly(STACK);
        assertThat(lock.waker()).isEqualTo(waker);
        Block await = t.threads.get(TID).blocks.get(1);
        assertThat(await.kind()).as("a Condition blocker").isEqualTo(BlockKind.COND);
        assertThat(await.waker()).as("no unpark inside it: a timeout").isZero();
    }

    @Test
    void givenAWaitThatCoversAThreadsOwnEvent_whenBuilt_thenTheWaitEndsThereBecauseTheThreadRan() {
        TraceEventLog log = new TraceEventLog(16);
        log.append(TraceEventLog.TYPE_LOG, TID, 0, 0, "order", "validated");
        long[] logTs = new long[1];
        log.read((ts, type, tid, a, b, r1, r2) -> {
            if (type == TraceEventLog.TYPE_LOG) logTs[0] = ts;
        });
        TimelineBuilder b = new TimelineBuilder(logTs[0] - 10_000_000, logTs[0] + 10_000_000);

        b.addBlock(TID, BlockKind.PARK, logTs[0] - 1_000_000, logTs[0] + 1_000_000, STACK, 0);
        b.addLog(log, StackTable.SHARED);
        Timeline t = b.build();

        assertThat(t.threads.get(TID).blocks).singleElement()
                .satisfies(blk -> assertThat(blk.end()).isEqualTo(logTs[0]));
        assertThat(t.threads.get(TID).logs).singleElement()
                .satisfies(l -> assertThat(t.threads.get(TID).blockAt(l.ts())).isNull());
    }

    @Test
    void givenOverlappingWaitsAndAnOpenRegion_whenBuilt_thenWaitsAreDisjointAndTheRegionClosesAtTheEnd() {
        TraceEventLog log = new TraceEventLog(16);
        log.append(TraceEventLog.TYPE_REGION_BEGIN, TID, 0, 0, "never closed", null);
        long[] begin = new long[1];
        log.read((ts, type, tid, a, bb, r1, r2) -> begin[0] = ts);
        long start = begin[0] - 1000;
        long end = begin[0] + 10_000_000;
        TimelineBuilder b = new TimelineBuilder(start, end);

        b.addBlock(TID, BlockKind.SLEEP, begin[0] + 100, begin[0] + 5_000, STACK, 0);
        b.addBlock(TID, BlockKind.SLEEP, begin[0] + 4_000, begin[0] + 9_000, STACK, 0);
        b.addLog(log, StackTable.SHARED);
        Timeline t = b.build();

        Timeline.ThreadTrack tr = t.threads.get(TID);
        assertThat(tr.blocks).hasSize(2);
        assertThat(tr.blocks.get(1).begin()).isGreaterThanOrEqualTo(tr.blocks.get(0).end());
        assertThat(tr.regions).singleElement().satisfies(r -> assertThat(r.end()).isEqualTo(end));
    }

    @Test
    void givenOverlappingGcs_whenBuilt_thenMergedAndPausesInside() {
        TimelineBuilder b = new TimelineBuilder(0, 1_000);

        b.addGc("G1Young", 100, 200);
        b.addGc("G1Concurrent", 150, 400);
        b.addPause("Pause", 120, 130);
        b.addPause("Remark", 500, 510);
        Timeline t = b.build();

        assertThat(t.gcs).containsExactly(new Timeline.Gc("G1Young", 100, 400));
        assertThat(t.pauses).containsExactly(new Timeline.Gc("Pause", 120, 130));
    }

    @Test
    void givenConcurrentGcPhases_whenBuilt_thenSortedByBeginThenLevelAndClampedToTheTrace() {
        TimelineBuilder b = new TimelineBuilder(1_000, 2_000);

        b.addConcurrentPhase("Preclean WeakReferences", 1, 1_500, 1_600);
        b.addConcurrentPhase("Concurrent Preclean", 0, 1_500, 1_700);
        b.addConcurrentPhase("Concurrent Mark From Roots", 0, 500, 1_200);
        b.addConcurrentPhase("Concurrent Cleanup for Next Mark", 0, 2_500, 2_600);
        Timeline t = b.build();

        assertThat(t.concurrentPhases).containsExactly(
                new Timeline.ConcurrentPhase("Concurrent Mark From Roots", 0, 1_000, 1_200),
                new Timeline.ConcurrentPhase("Concurrent Preclean", 0, 1_500, 1_700),
                new Timeline.ConcurrentPhase("Preclean WeakReferences", 1, 1_500, 1_600));
    }

    @Test
    void givenLabelChangesAroundRegions_whenBuilt_thenRegionsHaveTheLabelsAtTheirBeginOrTheSpanMadeCurrentInside() {
        long t0 = 1_000_000_000L;
        LabelSet tenant = LabelSet.EMPTY.with("tenant", "a");
        LabelSet span = tenant.with("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", "span_id", "00f067aa0ba902b7",
                "span_name", "checkout");
        TraceEventLog log = new TraceEventLog(64);
        log.appendAt(t0 + 100, TraceEventLog.TYPE_REGION_BEGIN, TID, 0, 0, "outer", null);
        log.appendAt(t0 + 200, TraceEventLog.TYPE_REGION_BEGIN, TID, 0, 0, "withSpan", null);
        log.appendAt(t0 + 300, TraceEventLog.TYPE_LABELS, TID, 0, 0, span, null); // the @WithSpan method's own span
        log.appendAt(t0 + 400, TraceEventLog.TYPE_REGION_BEGIN, TID, 0, 0, "inSpan", null);
        log.appendAt(t0 + 500, TraceEventLog.TYPE_REGION_END, TID, 0, 0, null, null);
        log.appendAt(t0 + 600, TraceEventLog.TYPE_LABELS, TID, 0, 0, tenant, null);
        log.appendAt(t0 + 700, TraceEventLog.TYPE_REGION_END, TID, 0, 0, null, null);
        log.appendAt(t0 + 800, TraceEventLog.TYPE_REGION_END, TID, 0, 0, null, null);
        TimelineBuilder b = new TimelineBuilder(t0, t0 + 1_000);

        b.labelsAtStart(Map.of(TID, tenant));
        b.addLog(log, StackTable.SHARED);
        Timeline.ThreadTrack tr = b.build().threads.get(TID);

        assertThat(tr.labelsAtStart).isEqualTo(tenant);
        assertThat(tr.labelChanges).extracting(Timeline.LabelChange::ts).containsExactly(t0 + 300, t0 + 600);
        assertThat(tr.labelsAt(t0 + 50)).as("before the first change").isEqualTo(tenant);
        assertThat(tr.labelsAt(t0 + 300)).isEqualTo(span);
        assertThat(tr.labelsAt(t0 + 650)).isEqualTo(tenant);
        Map<String, LabelSet> regions = new java.util.HashMap<>();
        tr.regions.forEach(r -> regions.put(r.name(), r.labels()));
        assertThat(regions).containsEntry("outer", tenant).as("not its innermost region when the span came")
                .containsEntry("withSpan", span).containsEntry("inSpan", span);
    }
}

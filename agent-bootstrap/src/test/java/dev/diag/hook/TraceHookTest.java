package dev.diag.hook;

import dev.diag.api.ApiLink;
import dev.diag.api.Region;
import dev.diag.api.Task;
import dev.diag.api.Trace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TraceHookTest {
    @BeforeEach
    void linkTheApi() {
        ApiLink.set(true); // as diag does on attach (or the bootstrap copy is with -javaagent)
    }

    @AfterEach
    void stopTracing() {
        TraceHook.setLog(null);
        ApiLink.set(false);
    }

    @Test
    void givenTheApplicationsOwnApiCopyNotLinked_whenTraceRecords_thenItCallsNoHookAndRecordsNothing() {
        ApiLink.set(false); // a copy from the class path, loaded before diag was attached
        TraceEventLog log = new TraceEventLog(100);
        TraceHook.setLog(log);

        Task task = Trace.newTask("checkout");
        try (Region r = Trace.region("validate")) {
            Trace.log("order", "validated");
        }
        task.end();

        List<Integer> events = new ArrayList<>();
        log.read((ts, type, tid, a, b, r1, r2) -> events.add(type));
        assertThat(Trace.isEnabled()).isFalse();
        assertThat(task.id()).isZero();
        assertThat(events).isEmpty();
    }

    @Test
    void givenNoTrace_whenTheApiIsUsed_thenNothingIsRecordedAndTasksHaveNoId() {
        TraceHook.setLog(null);

        Task task = Trace.newTask("checkout");
        try (Region r = Trace.region("validate")) {
            Trace.log("order", "validated");
        }
        task.end();

        assertThat(Trace.isEnabled()).isFalse();
        assertThat(task.id()).isZero();
        Runnable work = () -> { };
        assertThat(TraceHook.wrap(work)).isSameAs(work);
    }

    @Test
    void givenTrace_whenTaskRegionsAndLog_thenEventsCarryTheTaskAndTheThreadIsNamedOnce() {
        TraceEventLog log = new TraceEventLog(100);
        TraceHook.setLog(log);

        long id;
        try (Task task = Trace.newTask("checkout")) {
            id = task.id();
            try (Region outer = Trace.region("prepare")) {
                try (Region inner = Trace.region("validate")) {
                    Trace.log("order", "validated");
                }
            }
        }
        Trace.log("after", "task ended");

        List<String> events = new ArrayList<>();
        log.read((ts, type, tid, a, b, r1, r2) -> events.add(type + ":" + a + ":" + (type == TraceEventLog.TYPE_THREAD ? "thread" : r1)));
        assertThat(id).isPositive();
        assertThat(events).containsExactly(
                TraceEventLog.TYPE_THREAD + ":0:thread",
                TraceEventLog.TYPE_TASK_CREATE + ":" + id + ":checkout",
                TraceEventLog.TYPE_REGION_BEGIN + ":" + id + ":prepare",
                TraceEventLog.TYPE_REGION_BEGIN + ":" + id + ":validate",
                TraceEventLog.TYPE_LOG + ":" + id + ":order",
                TraceEventLog.TYPE_REGION_END + ":" + id + ":null",
                TraceEventLog.TYPE_REGION_END + ":" + id + ":null",
                TraceEventLog.TYPE_TASK_END + ":" + id + ":null",
                TraceEventLog.TYPE_LOG + ":0:after");
    }

    @Test
    void givenTaskOnThisThread_whenWorkIsWrappedAndRunElsewhere_thenItRunsInTheTask() throws Exception {
        TraceEventLog log = new TraceEventLog(100);
        TraceHook.setLog(log);
        Task task = Trace.newTask("checkout");
        Runnable wrapped = TraceHook.wrap(() -> Trace.log("worker", "in task"));

        Thread worker = new Thread(wrapped);
        worker.start();
        worker.join();
        task.end();

        long[] logTask = {-1};
        log.read((ts, type, tid, a, b, r1, r2) -> {
            if (type == TraceEventLog.TYPE_LOG) logTask[0] = a;
        });
        assertThat(wrapped).isInstanceOf(TaskRunnable.class);
        assertThat(TraceHook.wrap(wrapped)).as("never wrapped twice").isSameAs(wrapped);
        assertThat(logTask[0]).isEqualTo(task.id());
    }

    @Test
    void givenLabelsAndNoTrace_whenWorkIsWrappedAndRunOnALabelledPoolThread_thenItRunsWithTheSubmittersLabelsOnly()
            throws Exception {
        LabelSet submitter = LabelSet.EMPTY.with("endpoint", "/users");
        LabelSet workerOwn = LabelSet.EMPTY.with("pool", "io");
        LabelSet[] seen = new LabelSet[3];
        LabelHook.set(submitter);
        Runnable wrapped;
        java.util.concurrent.Callable<LabelSet> wrappedCallable;
        try {
            wrapped = TraceHook.wrap(() -> {
                seen[1] = LabelHook.current();
                LabelHook.set(LabelSet.EMPTY.with("leaked", "yes")); // a task that does not restore its labels
            });
            wrappedCallable = TraceHook.wrapCallable(LabelHook::current);
        } finally {
            LabelHook.set(LabelSet.EMPTY);
        }
        Runnable plain = () -> { };

        LabelSet[] callableSaw = new LabelSet[1];
        Thread worker = new Thread(() -> {
            LabelHook.set(workerOwn);
            seen[0] = LabelHook.current();
            wrapped.run();
            seen[2] = LabelHook.current();
            try {
                callableSaw[0] = wrappedCallable.call();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            LabelHook.set(LabelSet.EMPTY);
        });
        worker.start();
        worker.join();

        assertThat(wrapped).isInstanceOf(TaskRunnable.class);
        assertThat(TraceHook.wrap(plain)).as("no labels, no trace: nothing to carry").isSameAs(plain);
        assertThat(seen[0]).isSameAs(workerOwn);
        assertThat(seen[1]).as("the task runs with the submitter's labels").isSameAs(submitter);
        assertThat(seen[2]).as("the pool thread gets its own back").isSameAs(workerOwn);
        assertThat(callableSaw[0]).isSameAs(submitter);
    }

    @Test
    void givenTrace_whenLabelsChange_thenEachChangeIsRecordedInTheCurrentTaskAndNothingOnceTheTraceStops() {
        TraceEventLog log = new TraceEventLog(100);
        TraceHook.setLog(log);
        LabelSet tenant = LabelSet.EMPTY.with("tenant", "a");

        long task;
        try (Task t = Trace.newTask("checkout")) {
            task = t.id();
            LabelHook.set(tenant);
            LabelHook.set(LabelSet.EMPTY);
        }
        TraceHook.setLog(null);
        LabelHook.set(tenant);
        LabelHook.set(LabelSet.EMPTY);

        List<Object[]> changes = new ArrayList<>();
        log.read((ts, type, tid, a, b, r1, r2) -> {
            if (type == TraceEventLog.TYPE_LABELS) changes.add(new Object[] {tid, a, r1});
        });
        long me = Thread.currentThread().getId();
        assertThat(changes).containsExactly(new Object[] {me, task, tenant}, new Object[] {me, task, LabelSet.EMPTY});
    }
}

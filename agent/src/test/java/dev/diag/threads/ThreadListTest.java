package dev.diag.threads;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadListTest {
    private static StackTraceElement frame(String className, String method) {
        return new StackTraceElement(className, method, null, 1);
    }

    @Test
    void givenAThreadInsideAHook_whenListed_thenTheHookAndWhatItCalledAreNotShown() {
        StackTraceElement[] stack = {
                frame("sun.management.ThreadImpl", "getThreadTotalCpuTime0"),
                frame("dev.diag.jfr.ExitedThreadCounters", "exiting"),
                frame("dev.diag.hook.ThreadExitHook", "onExit"),
                frame("java.lang.Thread", "exit")};

        assertThat(ThreadList.withoutHookFrames(stack)).extracting(StackTraceElement::getMethodName)
                .containsExactly("exit");
    }

    @Test
    void givenATaskRunInsideDiagsExecutorWrapper_whenListed_thenTheApplicationFramesStay() {
        StackTraceElement[] stack = {
                frame("app.Work", "run"),
                frame("dev.diag.hook.TaskRunnable", "run"),
                frame("java.util.concurrent.ThreadPoolExecutor", "runWorker")};

        assertThat(ThreadList.withoutHookFrames(stack)).isEqualTo(stack);
    }

    @Test
    void givenAHookRunningInsideAWrappedTask_whenListed_thenOnlyTheHookGoes() {
        StackTraceElement[] stack = {
                frame("dev.diag.hook.ParkHook", "exit"),
                frame("java.util.concurrent.locks.LockSupport", "park"),
                frame("app.Work", "run"),
                frame("dev.diag.hook.TaskRunnable", "run"),
                frame("java.util.concurrent.ThreadPoolExecutor", "runWorker")};

        assertThat(ThreadList.withoutHookFrames(stack)).extracting(StackTraceElement::getMethodName)
                .containsExactly("park", "run", "run", "runWorker");
    }
}

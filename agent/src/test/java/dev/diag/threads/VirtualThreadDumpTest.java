package dev.diag.threads;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class VirtualThreadDumpTest {
    @Test
    void givenStackTraceElementTexts_whenParsed_thenModuleAndLoaderDroppedHiddenClassKept() {
        StackTraceElement a = VirtualThreadDump.frame("java.base/java.lang.Thread.sleep(Thread.java:540)");
        StackTraceElement b = VirtualThreadDump.frame("app//com.example.Foo.bar(Foo.java:12)");
        StackTraceElement c = VirtualThreadDump.frame("VT$$Lambda/0x00007f0001003400.run(Unknown Source)");
        StackTraceElement d = VirtualThreadDump.frame("java.base@25/jdk.internal.misc.Unsafe.park(Native Method)");

        assertThat(a.getClassName()).isEqualTo("java.lang.Thread");
        assertThat(a.getMethodName()).isEqualTo("sleep");
        assertThat(a.getFileName()).isEqualTo("Thread.java");
        assertThat(a.getLineNumber()).isEqualTo(540);
        assertThat(b.getClassName()).isEqualTo("com.example.Foo");
        assertThat(c.getClassName()).isEqualTo("VT$$Lambda/0x00007f0001003400");
        assertThat(c.getFileName()).isNull();
        assertThat(d.isNativeMethod()).isTrue();
        assertThat(d.getClassName()).isEqualTo("jdk.internal.misc.Unsafe");
    }

    @Test
    void givenJdk25AndJdk21Dumps_whenParsed_thenOnlyVirtualThreads() {
        String json = "{\"threadDump\": {\"processId\": \"1\", \"threadContainers\": [{\"container\": \"<root>\","
                + "\"parent\": null, \"owner\": null, \"threads\": ["
                + "{\"tid\": \"3\", \"name\": \"main\", \"state\": \"RUNNABLE\", \"stack\": []},"
                + "{\"tid\": \"23\", \"virtual\": true, \"name\": \"v0\", \"state\": \"TIMED_WAITING\","
                + "\"parkBlocker\": {\"object\": \"java.util.concurrent.CountDownLatch$Sync@4fba4c18\"}, \"stack\": ["
                + "\"java.base\\/java.lang.VirtualThread.parkNanos(VirtualThread.java:784)\"]},"
                + "{\"tid\": \"40\", \"name\": \"\", \"stack\": [\"java.base\\/java.lang.VirtualThread.park(VirtualThread.java:1)\"]}"
                + "], \"threadCount\": \"3\"}]}}";

        List<Goroutine> got = VirtualThreadDump.parse(json, Set.of(3L));

        assertThat(got).extracting(Goroutine::id).containsExactly(23L, 40L);
        assertThat(got.get(0).state()).isEqualTo("TIMED_WAITING");
        assertThat(got.get(0).waitingOn()).isEqualTo("java.util.concurrent.CountDownLatch$Sync@4fba4c18");
        assertThat(got.get(0).stack()[0].getMethodName()).isEqualTo("parkNanos");
        assertThat(got.get(1).state()).as("JDK 21's dump has no state").isNull();
        assertThat(got).allMatch(Goroutine::virtual);
    }

    @Test
    void givenGoroutines_whenDumped_thenGoPanicLayoutWithCurrentFirst() {
        StackTraceElement sleep = new StackTraceElement("java.lang.Thread", "sleep", "Thread.java", 509);
        StackTraceElement app = new StackTraceElement("com.example.App", "main", "App.java", 7);
        List<Goroutine> gs = List.of(
                new Goroutine(1, "main", "TIMED_WAITING", null, false, new StackTraceElement[] {sleep, app}),
                new Goroutine(9, "diag-http-1", "RUNNABLE", null, false, new StackTraceElement[] {app}),
                new Goroutine(31, "", "WAITING", "java.lang.Object@1b6d]3586", true, new StackTraceElement[0]));

        String got = GoroutineDumpWriter.write(gs, 9);

        assertThat(got).isEqualTo("goroutine 9 [running]:\ncom.example.App.main(...)\n\tcom/example/App.java:7\n\n"
                + "goroutine 1 [sleep, \"main\"]:\njava.lang.Thread.sleep(...)\n\tjava/lang/Thread.java:509\n"
                + "com.example.App.main(...)\n\tcom/example/App.java:7\n\n"
                + "goroutine 31 [waiting on java.lang.Object@1b6d)3586, \"\", virtual]:\n");
    }
}

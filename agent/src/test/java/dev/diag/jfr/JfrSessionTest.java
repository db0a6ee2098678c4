package dev.diag.jfr;

import dev.diag.stack.Frame;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

class JfrSessionTest {
    private final JfrSession session = new JfrSession();

    @AfterEach
    void close() {
        session.close();
    }

    @Test
    void givenMonitorEnterSubscription_whenThreadsContend_thenEventsWithStacksArriveBeforeCatchUpReturns()
            throws Exception {
        List<Frame[]> stacks = new CopyOnWriteArrayList<>();
        boolean subscribed = session.subscribe(
                EventRequest.of("jdk.JavaMonitorEnter").threshold(Duration.ZERO).withStackTrace(),
                e -> stacks.add(JfrStacks.frames(e.getStackTrace())));

        contendOnMonitor();
        boolean caughtUp = session.awaitCatchUp(Duration.ofSeconds(10));

        assertThat(subscribed).isTrue();
        assertThat(caughtUp).isTrue();
        assertThat(stacks).isNotEmpty();
        assertThat(stacks).anySatisfy(s -> assertThat(s).anySatisfy(f -> {
            assertThat(f.functionName()).isEqualTo(JfrSessionTest.class.getName() + ".enterContended");
            assertThat(f.descriptor()).isEqualTo("(Ljava/lang/Object;)V");
            assertThat(f.line()).isPositive();
            assertThat(f.fileName()).as("read from the class's SourceFile attribute").isEqualTo("JfrSessionTest.java");
        }));
    }

    @Test
    void givenTwoRequestsForOneEvent_whenMerged_thenShortestPeriodAndThresholdAndAnyStackTraceWin() {
        EventRequest a = EventRequest.of("jdk.ExecutionSample").period(Duration.ofMillis(20)).withStackTrace();
        EventRequest b = EventRequest.of("jdk.ExecutionSample").period(Duration.ofMillis(10))
                .threshold(Duration.ofMillis(5)).with("throttle", "100/s");

        EventRequest merged = a.merge(b);

        assertThat(merged.period()).isEqualTo(Duration.ofMillis(10));
        assertThat(merged.threshold()).isEqualTo(Duration.ofMillis(5));
        assertThat(merged.stackTrace()).isTrue();
        assertThat(merged.other()).containsEntry("throttle", "100/s");
    }

    @Test
    void givenConsumerThatThrows_whenEventsArrive_thenStreamKeepsDeliveringToOthers() throws Exception {
        List<RecordedEvent> delivered = new CopyOnWriteArrayList<>();
        session.subscribe(EventRequest.of("jdk.JavaMonitorEnter").threshold(Duration.ZERO), e -> {
            throw new IllegalStateException("boom");
        });
        session.subscribe(EventRequest.of("jdk.JavaMonitorEnter").threshold(Duration.ZERO), delivered::add);

        contendOnMonitor();
        session.awaitCatchUp(Duration.ofSeconds(10));
        int first = delivered.size();
        contendOnMonitor();
        session.awaitCatchUp(Duration.ofSeconds(10));

        assertThat(first).isPositive();
        assertThat(delivered.size()).isGreaterThan(first);
    }

    @jdk.jfr.Name("dev.diag.test.Probe")
    static final class ProbeEvent extends jdk.jfr.Event {
    }

    @Test
    void givenOpenSubscription_whenClosed_thenItsConsumerGetsNothingMoreAndTheEventIsOffAgain() throws Exception {
        jdk.jfr.FlightRecorder.register(ProbeEvent.class);
        List<RecordedEvent> delivered = new CopyOnWriteArrayList<>();
        JfrSession.Subscription s = session.open(EventRequest.of("dev.diag.test.Probe"), delivered::add);
        boolean enabledWhileOpen = new ProbeEvent().isEnabled();
        new ProbeEvent().commit();
        session.awaitCatchUp(Duration.ofSeconds(10));
        int whileOpen = delivered.size();

        s.close();
        new ProbeEvent().commit();
        session.awaitCatchUp(Duration.ofSeconds(10));

        assertThat(enabledWhileOpen).isTrue();
        assertThat(whileOpen).isEqualTo(1);
        assertThat(new ProbeEvent().isEnabled()).as("enabled after the only subscription closed").isFalse();
        assertThat(delivered).hasSize(1);
    }

    @Test
    void givenPermanentAndOpenSubscriptions_whenTheOpenOneCloses_thenThePermanentOneStillReceives() throws Exception {
        jdk.jfr.FlightRecorder.register(ProbeEvent.class);
        List<RecordedEvent> permanent = new CopyOnWriteArrayList<>();
        session.subscribe(EventRequest.of("dev.diag.test.Probe"), permanent::add);
        JfrSession.Subscription s = session.open(EventRequest.of("dev.diag.test.Probe").withStackTrace(), e -> { });

        s.close();
        new ProbeEvent().commit();
        session.awaitCatchUp(Duration.ofSeconds(10));

        assertThat(new ProbeEvent().isEnabled()).isTrue();
        assertThat(permanent).singleElement().satisfies(e -> assertThat(e.getStackTrace()).isNull());
    }

    /** Makes another thread wait about 20 ms for a monitor this thread holds. */
    static void contendOnMonitor() throws InterruptedException {
        Object lock = new Object();
        CountDownLatch started = new CountDownLatch(1);
        Thread waiter;
        synchronized (lock) {
            waiter = new Thread(() -> {
                started.countDown();
                enterContended(lock);
            });
            waiter.start();
            started.await();
            Thread.sleep(20);
        }
        waiter.join();
    }

    private static void enterContended(Object lock) {
        synchronized (lock) {
            lock.hashCode();
        }
    }
}

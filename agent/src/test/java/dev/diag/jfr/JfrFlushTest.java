package dev.diag.jfr;

import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class JfrFlushTest {
    private JfrSession session;

    @AfterEach
    void close() {
        if (session != null) session.close();
    }

    @Test
    void givenAgentInstrumentation_whenOpenedWhileJfrRuns_thenThisJvmsJfrCanBeAskedToFlush() {
        session = new JfrSession();
        assertThat(session.start()).isTrue();

        JfrFlush flush = JfrFlush.open(ByteBuddyAgent.install());

        assertThat(flush.flush()).as("JFR's internal flush and notifyFlush calls are where diag expects them").isTrue();
        assertThat(flush.flush()).as("and can be asked again").isTrue();
    }

    @Test
    void givenNoInstrumentationAndNoExports_whenOpened_thenNoneAndCallersWaitForJfrsOwnFlush() {
        boolean exported = ModuleLayer.boot().findModule("jdk.jfr").orElseThrow()
                .isExported("jdk.jfr.internal", JfrFlush.class.getModule());

        JfrFlush flush = exported ? JfrFlush.none() : JfrFlush.open(null);

        assertThat(flush.flush()).isFalse();
    }

    @Test
    void givenSessionThatCanFlush_whenEventCommittedThenCatchUp_thenItIsDelivered() throws Exception {
        session = new JfrSession(ByteBuddyAgent.install());
        List<Long> seen = new CopyOnWriteArrayList<>();
        assertThat(session.subscribe(EventRequest.of("jdk.JavaMonitorEnter").threshold(Duration.ZERO),
                e -> seen.add(e.getThread("eventThread").getJavaThreadId()))).isTrue();

        JfrSessionTest.contendOnMonitor();
        boolean caughtUp = session.awaitCatchUp(Duration.ofSeconds(10));

        assertThat(caughtUp).isTrue();
        assertThat(seen).isNotEmpty();
    }
}

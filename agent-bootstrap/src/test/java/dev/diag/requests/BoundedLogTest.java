package dev.diag.requests;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BoundedLogTest {
    @Test
    void givenMoreLinesThanKept_whenDiscardingFromTheMiddle_thenFirstAndLastStayAroundOneMarker() {
        BoundedLog log = new BoundedLog(10, 4);
        int lost = 0;
        for (int i = 0; i < 200; i++) lost += log.add("line " + i, i, false);

        List<LogLine> lines = log.lines();

        assertThat(lost).isEqualTo(191);
        assertThat(lines).extracting(LogLine::text).containsExactly("line 0", "line 1", "line 2", "line 3",
                "(191 events discarded)", "line 195", "line 196", "line 197", "line 198", "line 199");
        assertThat(lines.get(4).nanos()).as("stamped with the newest line it stands for").isEqualTo(194);
    }

    @Test
    void givenMoreLinesThanKept_whenDiscardingFromTheStart_thenTheLatestStayAfterOneMarker() {
        BoundedLog log = new BoundedLog(3, 0);
        for (int i = 0; i < 5; i++) log.add("e" + i, i, i == 1);

        assertThat(log.lines()).extracting(LogLine::text).containsExactly("(3 events discarded)", "e3", "e4");
    }

    @Test
    void givenLongLine_whenAdded_thenCutAtTheLimit() {
        BoundedLog log = new BoundedLog(2, 0);
        log.add("x".repeat(BoundedLog.MAX_LINE + 50), 0, false);
        log.add(null, 1, false);

        assertThat(log.lines().get(0).text()).hasSize(BoundedLog.MAX_LINE + 1).endsWith("x…");
        assertThat(log.lines().get(1).text()).isEqualTo("null");
    }
}

package dev.diag.trace;

import dev.diag.hook.LabelSet;
import dev.diag.hook.TraceEventLog;
import dev.diag.stack.StackTable;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ChromeJsonEncoderTest {
    @Test
    void givenALabelledRegion_whenEncoded_thenTheRegionAndTheChangeCarryALabelsObject() {
        long t0 = 1_000_000_000L;
        LabelSet labels = LabelSet.EMPTY.with("tenant", "a\"b", "span_id", "00f067aa0ba902b7");
        TraceEventLog log = new TraceEventLog(64);
        log.appendAt(t0 + 100, TraceEventLog.TYPE_LABELS, 1, 3, 0, labels, null);
        log.appendAt(t0 + 200, TraceEventLog.TYPE_REGION_BEGIN, 1, 3, 0, "charge", null);
        log.appendAt(t0 + 500, TraceEventLog.TYPE_REGION_END, 1, 3, 0, null, null);
        TimelineBuilder b = new TimelineBuilder(t0, t0 + 1_000);
        b.thread(1, "main", false);
        b.addLog(log, StackTable.SHARED);

        String json = new String(ChromeJsonEncoder.encode(b.build()), StandardCharsets.UTF_8);

        String object = "\"labels\":{\"span_id\":\"00f067aa0ba902b7\",\"tenant\":\"a\\\"b\"}";
        assertThat(json).contains("{\"name\":\"charge\",\"cat\":\"region\",\"ph\":\"X\"")
                .contains("\"args\":{\"task\":3," + object + "}}")
                .contains("\"cat\":\"labels\",\"ph\":\"i\"");
        assertThat(json.lines().filter(l -> l.contains(object))).hasSize(2);
    }
}

package dev.diag.attach;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AttachResultTest {
    @Test
    void givenRequestArgs_whenSplit_thenIdAndOptionsComeBack() {
        String args = AttachResult.requestArgs("42ab", "http=6060,profiles=cpu,heap");

        String id = AttachResult.requestId(args);
        String options = AttachResult.options(args);

        assertThat(id).isEqualTo("42ab");
        assertThat(options).isEqualTo("http=6060,profiles=cpu,heap");
    }

    @Test
    void givenArgsFromAnotherTool_whenSplit_thenNoIdAndOptionsUntouched() {
        String args = "http=6060";

        String id = AttachResult.requestId(args);
        String options = AttachResult.options(args);

        assertThat(id).isEmpty();
        assertThat(options).isEqualTo("http=6060");
        assertThat(AttachResult.options(null)).isNull();
        assertThat(AttachResult.options(AttachResult.requestArgs("7", ""))).isEmpty();
    }

    @Test
    void givenResult_whenEncodedAndDecoded_thenEqual() {
        AttachResult r = new AttachResult("id-1", AttachResult.Outcome.REJECTED,
                List.of("cpu.hz cannot change while diag runs (it is 100)", "", "configuration unchanged: defaults"));

        AttachResult back = AttachResult.decode(r.encode());

        assertThat(back).isEqualTo(r);
    }

    @Test
    void givenGarbage_whenDecoded_thenNull() {
        assertThat(AttachResult.decode(null)).isNull();
        assertThat(AttachResult.decode("only-an-id")).isNull();
        assertThat(AttachResult.decode("id\nMAYBE\nline")).isNull();
    }
}

package dev.diag.attach;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class WindowRequestTest {
    @Test
    void givenPathWithSpacesAndSeparators_whenCarriedInAgentArgs_thenReadBackWholeAndOptionsUntouched() {
        WindowRequest sent = new WindowRequest("id-1", "block", 3_000_000_000L, Path.of("/tmp/my dir/a!b,c=d.pb.gz"));

        String args = AttachResult.requestArgs(sent.requestId(), "log=debug");
        WindowRequest read = WindowRequest.fromRequestId(AttachResult.requestId(args));

        assertThat(read).isEqualTo(sent);
        assertThat(AttachResult.options(args)).isEqualTo("log=debug");
        assertThat(sent.requestId()).doesNotContain(" ");
    }

    @Test
    void givenPlainAttachId_whenRead_thenNoWindow() {
        assertThat(WindowRequest.fromRequestId("0b8e6c4e-8d0a-4a53-9d2b-3f1f2a7c9e10")).isNull();
        assertThat(WindowRequest.fromRequestId("")).isNull();
        assertThat(WindowRequest.fromRequestId("id!cpu!ten!%2Ftmp")).as("a bad duration").isNull();
    }
}

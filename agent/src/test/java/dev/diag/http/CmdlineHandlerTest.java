package dev.diag.http;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CmdlineHandlerTest {
    @Test
    void givenTokenInAgentOptions_whenRedacted_thenItsWholeValueIsHiddenAndTheRestStaysAsWritten() {
        List<String> args = List.of("java", "-javaagent:/a/diag.jar=http=6060,http.token=a,log=debug",
                "-javaagent:/a/diag.jar=http.token=s3cret", "-Dhttp.token=a", "-javaagent:/a/other.jar",
                "-javaagent:/a/diag.jar=http.token=abc,SECRET,log=debug",
                "-javaagent:/a/diag.jar=http=6060, http.token = abc, SECRET ,,MORE, out=p",
                "-javaagent:/a/diag.jar=config=/etc/diag.conf,http.token=x", "app.Main", "http.token=a");

        List<String> got = CmdlineHandler.redacted(args);

        assertThat(got).containsExactly("java", "-javaagent:/a/diag.jar=http=6060,http.token=<redacted>,log=debug",
                "-javaagent:/a/diag.jar=http.token=<redacted>", "-Dhttp.token=a", "-javaagent:/a/other.jar",
                "-javaagent:/a/diag.jar=http.token=<redacted>,log=debug",
                "-javaagent:/a/diag.jar=http=6060, http.token =<redacted>, out=p",
                "-javaagent:/a/diag.jar=config=/etc/diag.conf,http.token=<redacted>", "app.Main", "http.token=a");
    }

    @Test
    void givenProcCmdline_whenParsed_thenEachNulEndsOneArgument_emptyOnesKept() {
        byte[] proc = "./java\0-Dnote=a b,c\0\0Main\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        assertThat(CmdlineHandler.parseProcCmdline(proc)).containsExactly("./java", "-Dnote=a b,c", "", "Main");
        assertThat(CmdlineHandler.parseProcCmdline("a\0b".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .as("a last argument without its NUL").containsExactly("a", "b");
        assertThat(CmdlineHandler.parseProcCmdline(new byte[0])).isEmpty();
    }
}

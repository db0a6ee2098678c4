package dev.diag.push;

import dev.diag.base.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PushTargetTest {
    @Test
    void givenAppAndLabels_whenIngestUri_thenPyroscopeQueryWithEncodedName() throws Exception {
        PushTarget t = PushTarget.from(Options.parse("push=http://pyro:4040,push.app=shop,push.labels=env=prod;region=eu-1"),
                "com.acme.Main");

        String uri = t.uri(new Window("cpu", 1_700_000_000L, 1_700_000_010L, new byte[0], 100)).toString();

        assertThat(uri).startsWith("http://pyro:4040/ingest?");
        assertThat(URLDecoder.decode(uri.substring(uri.indexOf('?') + 1), StandardCharsets.UTF_8))
                .isEqualTo("name=shop{env=prod,region=eu-1}&from=1700000000&until=1700000010&format=pprof"
                        + "&sampleRate=100&spyName=javaspy");
        assertThat(t.authorization()).isNull();
        assertThat(t.tenant()).isNull();
    }

    @Test
    void givenServerWithPathAndUnsampledProfile_whenIngestUri_thenPathKeptAndNoSampleRate() throws Exception {
        PushTarget t = PushTarget.from(Options.parse("push=https://gw.example/pyroscope/"), "app.jar");

        String uri = t.uri(new Window("allocs", 1, 2, new byte[0], 0)).toString();

        assertThat(uri).isEqualTo("https://gw.example/pyroscope/ingest?name=app%7B%7D&from=1&until=2&format=pprof"
                + "&spyName=javaspy");
    }

    @ParameterizedTest
    @CsvSource({
            "otlp+http://collector:4318,      http://collector:4318/v1development/profiles",
            "otlp+https://gw.example/otlp/,   https://gw.example/otlp/v1development/profiles",
    })
    void givenOtlpTarget_whenUri_thenTheSpecsProfilesPathOnTheBaseUrl(String push, String expected) throws Exception {
        PushTarget t = PushTarget.from(Options.parse("push=" + push), "app.jar");

        assertThat(t.uri(new Window("cpu", 1, 2, new byte[0], 100)).toString()).isEqualTo(expected);
        assertThat(t.format().contentType()).isEqualTo("application/x-protobuf");
        assertThat(t).hasToString(push);
    }

    @Test
    void givenOtlpTarget_whenAnswered_thenOnlyTheSpecsRetryableCodesAreRetried() throws Exception {
        PushFormat otlp = PushTarget.from(Options.parse("push=otlp+http://c:4318"), null).format();
        PushFormat pyroscope = PushTarget.from(Options.parse("push=http://p:4040"), null).format();

        assertThat(java.util.stream.IntStream.of(400, 408, 413, 429, 500, 501, 502, 503, 504).filter(otlp::retryable))
                .containsExactly(429, 502, 503, 504);
        assertThat(java.util.stream.IntStream.of(400, 408, 413, 429, 500, 501, 502, 503, 504).filter(pyroscope::retryable))
                .containsExactly(408, 429, 500, 501, 502, 503, 504);
    }

    @Test
    void givenUserAndPasswordFile_whenFrom_thenBasicAuthAndTenant(@TempDir Path dir) throws Exception {
        Path pw = Files.writeString(dir.resolve("pw"), "s3cret\n");

        PushTarget t = PushTarget.from(Options.parse("push=http://h:4040,push.user=bob,push.password.file=" + pw
                + ",push.tenant=team-a"), null);

        assertThat(t.authorization()).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("bob:s3cret".getBytes(StandardCharsets.UTF_8)));
        assertThat(t.tenant()).isEqualTo("team-a");
        assertThat(t.toString()).isEqualTo("http://h:4040").doesNotContain("s3cret");
    }

    @Test
    void givenTokenFile_whenFrom_thenBearer(@TempDir Path dir) throws Exception {
        Path tok = Files.writeString(dir.resolve("tok"), "abc.def");

        PushTarget t = PushTarget.from(Options.parse("push=http://h:4040,push.token.file=" + tok), null);

        assertThat(t.authorization()).isEqualTo("Bearer abc.def");
    }

    @Test
    void givenMissingPasswordFile_whenFrom_thenReasonWithoutSecret(@TempDir Path dir) {
        assertThatThrownBy(() -> PushTarget.from(Options.parse("push=http://h:4040,push.user=bob,push.password.file="
                + dir.resolve("none")), null))
                .isInstanceOf(IOException.class).hasMessageStartingWith("cannot read push.password.file: ");
    }

    @Test
    void givenUserWithoutPassword_whenFrom_thenRefused() {
        assertThatThrownBy(() -> PushTarget.from(Options.parse("push=http://h:4040,push.user=bob"), null))
                .hasMessage("basic auth needs both push.user and push.password.file");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "com.acme.shop.Main arg1 arg2 | Main",
            "/opt/app/shop-service.jar --port 1 | shop-service",
            "my.module/com.acme.Server | Server",
            "'' | java",
            "weird$Name | weird_Name",
    })
    void givenJavaCommand_whenAppName_thenMainClassOrJar(String command, String app) {
        assertThat(AppName.fromCommand(command)).isEqualTo(app);
    }
}

package dev.diag.base;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptionsTest {
    @Test
    void givenTokenWithoutEquals_whenParsed_thenItExtendsThePreviousList() throws Exception {
        Options o = Options.parse("out=prof,profiles=cpu,heap,block.rate=1");

        assertThat(o.get(OptionKey.OUT)).isEqualTo("prof");
        assertThat(o.profiles()).containsExactly("cpu", "heap");
        assertThat(o.blockRate()).isEqualTo(1);
    }

    @Test
    void givenNoArguments_whenParsed_thenDefaultsApply() throws Exception {
        Options o = Options.parse(null);

        assertThat(o.profiles()).containsExactly("cpu", "allocs");
        assertThat(o.getLong(OptionKey.CPU_HZ)).isEqualTo(1000);
        assertThat(o.getLong(OptionKey.ALLOC_RATE)).isEqualTo(524288);
        assertThat(o.blockRate()).isZero();
        assertThat(o.isSet(OptionKey.HTTP)).isFalse();
    }

    @Test
    void givenBlockAndMutexProfilesWithoutRates_whenParsed_thenRatesAreOne() throws Exception {
        Options o = Options.parse("profiles=block,mutex");

        assertThat(o.blockRate()).isEqualTo(1);
        assertThat(o.mutexFraction()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "foo=1               | unknown option \"foo\" (java -jar diag.jar help lists every option)",
            "profile=cpu         | unknown option \"profile\" (did you mean profiles? java -jar diag.jar help lists every option)",
            "profiles            | option \"profiles\" has no value (use key=value)",
            "cpu.hz=abc          | bad value for cpu.hz: \"abc\" (a whole number of Hz from 1 to 1000)",
            "cpu.hz=0            | bad value for cpu.hz: \"0\" (a whole number of Hz from 1 to 1000)",
            "block.rate=-1       | bad value for block.rate: \"-1\" (nanoseconds, 0 or more)",
            "http=99999          | bad value for http: \"99999\"",
            "http=host:port      | bad value for http: \"host:port\"",
            "http.path=nope      | bad value for http.path: \"nope\"",
            "interval=10         | bad value for interval: \"10\" (a Go duration such as 500ms, 10s or 1m, or 0 for off)",
            "profiles=cpu,bogus  | bad value for profiles: \"cpu,bogus\" (no profile \"bogus\"; profiles are allocs, block, cpu, goroutine, heap, mutex, threadcreate, wall)",
            "profiles=cpu,heep   | bad value for profiles: \"cpu,heep\" (no profile \"heep\": did you mean heap? profiles are allocs, block, cpu, goroutine, heap, mutex, threadcreate, wall)",
            "log=loud            | bad value for log: \"loud\" (one of quiet, info, debug)",
            "engine=asyncprofiler | bad value for engine: \"asyncprofiler\" (did you mean async-profiler? one of auto, async-profiler, jfr)",
            "trace.max=lots      | bad value for trace.max: \"lots\"",
            "push=not a url      | bad value for push: \"not a url\"",
            "push=ftp://h:1      | bad value for push: \"ftp://h:1\" (http(s)://host:port for Pyroscope, otlp+http(s)://host:port for OTLP)",
            "push=http://u:p@h:1 | bad value for push: \"http://u:p@h:1\" (http(s)://host:port for Pyroscope, otlp+http(s)://host:port for OTLP)",
            "push=otlp+grpc://h:4317 | bad value for push: \"otlp+grpc://h:4317\" (OTLP over gRPC is not supported; use otlp+http://host:4318)",
            "push.labels=env     | bad value for push.labels: \"env\"",
            "push.labels=e=a}b   | bad value for push.labels: \"e=a}b\"",
            "push.labels=1x=a    | bad value for push.labels: \"1x=a\"",
            "push.app=a{b}       | bad value for push.app: \"a{b}\"",
            "out.keep=0          | bad value for out.keep: \"0\" (a whole number of windows, 1 or more)",
            "out.max=lots        | bad value for out.max: \"lots\"",
            "out=                | bad value for out: \"\"",
    })
    void givenBadOption_whenParsed_thenMessageNamesIt(String args, String message) {
        assertThatThrownBy(() -> Options.parse(args)).isInstanceOf(OptionException.class).hasMessage(message);
    }

    @Test
    void givenLabelsWithSemicolons_whenParsed_thenOneOptionHoldsThemAll() throws Exception {
        Options o = Options.parse("push=http://h:4040,push.labels=env=prod;zone=b,out.keep=3,out.max=100MB");

        assertThat(StaticLabels.parse(o.get(OptionKey.PUSH_LABELS))).containsExactly(
                java.util.Map.entry("env", "prod"), java.util.Map.entry("zone", "b"));
        assertThat(o.getLong(OptionKey.OUT_KEEP)).isEqualTo(3);
        assertThat(Sizes.parseBytes(o.get(OptionKey.OUT_MAX))).isEqualTo(100L << 20);
    }

    @Test
    void givenConfigFile_whenParsed_thenItsLinesApply(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("diag.conf");
        Files.writeString(config, "# profiles for the nightly job\nprofiles=cpu,heap\ncpu.hz = 250\n");

        Options o = Options.parse("config=" + config + ",out=x");

        assertThat(o.profiles()).containsExactly("cpu", "heap");
        assertThat(o.getLong(OptionKey.CPU_HZ)).isEqualTo(250);
        assertThat(o.get(OptionKey.OUT)).isEqualTo("x");
    }

    @ParameterizedTest
    @CsvSource({"10s, 10000000000", "1m30s, 90000000000", "300ms, 300000000", "1.5h, 5400000000000", "0, 0"})
    void givenGoDuration_whenParsed_thenNanosAreRight(String text, long nanos) {
        assertThat(GoDuration.parseNanos(text)).isEqualTo(nanos);
    }

    @ParameterizedTest
    @CsvSource({"64MiB, 67108864", "512k, 524288", "1GiB, 1073741824", "100, 100"})
    void givenSize_whenParsed_thenBytesAreRight(String text, long bytes) {
        assertThat(Sizes.parseBytes(text)).isEqualTo(bytes);
    }

    @Test
    void givenToken_whenShownAnywhere_thenRedactedAndOnlyBearerTokenHasIt() throws Exception {
        Options o = Options.parse("http=6060, http.token=abc, SECRET,log=debug");

        assertThat(o.toString()).isEqualTo("http=6060,http.token=<redacted>,log=debug");
        assertThat(o.shown(OptionKey.HTTP_TOKEN)).isEqualTo("<redacted>");
        assertThat(Options.parse("").shown(OptionKey.HTTP_TOKEN)).isEqualTo("off");
        assertThat(o.bearerToken()).isEqualTo("abc,SECRET");
        assertThat(o.secretInArgs()).isTrue();
        assertThatThrownBy(() -> o.get(OptionKey.HTTP_TOKEN)).isInstanceOf(IllegalArgumentException.class);
        assertThat(o.differs(o.with(Options.parse("http.token=other")), OptionKey.HTTP_TOKEN)).isTrue();
        assertThat(o.differs(o.with(Options.parse("http.token=abc,SECRET")), OptionKey.HTTP_TOKEN)).isFalse();
        assertThat(Options.parse(o.toAgentArgs()).bearerToken()).as("the attach request carries it").isEqualTo("abc,SECRET");
    }

    @Test
    void givenTokenInConfigFile_whenParsed_thenNotInArgsAndStillRedacted(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("diag.conf"), "http.token=s3cret\n");

        Options o = Options.parse("config=" + config);

        assertThat(o.secretInArgs()).isFalse();
        assertThat(o.toString()).isEqualTo("http.token=<redacted>");
    }

    @Test
    void givenArgsWithSecrets_whenRedacted_thenSplitAsParseSplitsThem() {
        assertThat(Options.redactArgs("http.token=abc,SECRET,out=p")).isEqualTo("http.token=<redacted>,out=p");
        assertThat(Options.redactArgs(" http.token =a, b,, c ,log=debug")).isEqualTo(" http.token =<redacted>,log=debug");
        assertThat(Options.redactArgs("out=p,,profiles=cpu,heap")).as("all else as written").isEqualTo("out=p,,profiles=cpu,heap");
        assertThat(Options.redactArgs("http.tokenx=a,b")).isEqualTo("http.tokenx=a,b");
        assertThat(Options.redactArgs("")).isEmpty();
    }

    @Test
    void givenHugeValue_whenEchoedOrShown_thenAbbreviatedWithItsLength() throws Exception {
        String huge = "a".repeat(100_000);

        assertThatThrownBy(() -> Options.parse("cpu.hz=" + huge))
                .hasMessage("bad value for cpu.hz: \"" + "a".repeat(200) + "... (100000 chars)\" (a whole number of Hz from 1 to 1000)");
        assertThat(Options.parse("out=" + huge).toString()).isEqualTo("out=" + "a".repeat(200) + "... (100000 chars)");
        assertThat(Options.parse("out=a\nb").toString()).as("a line stays one line").isEqualTo("out=a?b");
    }

    @Test
    void givenUnreadableFiles_whenRead_thenTheReasonInPlainWords(@TempDir Path dir) throws Exception {
        Path latin1 = Files.write(dir.resolve("latin1.conf"), new byte[] {'l', 'o', 'g', '=', (byte) 0xff, '\n'});
        Path missing = dir.resolve("missing");
        Path badLine = Files.writeString(dir.resolve("bad.conf"), "out=p\nhttp.token s3cret\n");

        assertThatThrownBy(() -> Options.parse("config=" + missing))
                .hasMessage("cannot read config file \"" + missing + "\": not found");
        assertThatThrownBy(() -> Options.parse("config=" + latin1))
                .hasMessage("cannot read config file \"" + latin1 + "\": not valid UTF-8");
        assertThatThrownBy(() -> Options.parse("config=" + badLine)).as("a mistyped secret is not repeated")
                .hasMessage("config file \"" + badLine + "\" line 2 is not key=value");
        assertThatThrownBy(() -> Options.parse("http.token.file=" + missing).bearerToken()).hasMessage("not found");
        assertThatThrownBy(() -> Options.parse("http.token.file=" + latin1).bearerToken()).hasMessage("not valid UTF-8");
    }
}

package dev.diag.agent;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        assertThat(o.getLong(OptionKey.CPU_HZ)).isEqualTo(100);
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
            "foo=1               | unknown option \"foo\"",
            "profiles            | option \"profiles\" has no value (use key=value)",
            "cpu.hz=abc          | bad value for cpu.hz: \"abc\"",
            "cpu.hz=0            | bad value for cpu.hz: \"0\"",
            "block.rate=-1       | bad value for block.rate: \"-1\"",
            "http=99999          | bad value for http: \"99999\"",
            "http=host:port      | bad value for http: \"host:port\"",
            "http.path=nope      | bad value for http.path: \"nope\"",
            "interval=10         | bad value for interval: \"10\"",
            "profiles=cpu,bogus  | bad value for profiles: \"cpu,bogus\"",
            "log=loud            | bad value for log: \"loud\"",
            "trace.max=lots      | bad value for trace.max: \"lots\"",
            "push=not a url      | bad value for push: \"not a url\"",
            "out=                | bad value for out: \"\"",
    })
    void givenBadOption_whenParsed_thenMessageNamesIt(String args, String message) {
        assertThatThrownBy(() -> Options.parse(args)).isInstanceOf(OptionException.class).hasMessage(message);
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
}

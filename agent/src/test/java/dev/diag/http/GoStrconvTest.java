package dev.diag.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every expected value below was printed by Go 1.19's strconv for the same input. */
class GoStrconvTest {
    /** input, ParseInt(s,10,64) or null on error, Atoi(s) with its error ignored, ParseUint(s,0,64) or 0 on error. */
    static Stream<Object[]> integers() {
        return Stream.of(new Object[][] {
                {"", null, 0L, 0L}, {"0", 0L, 0L, 0L}, {"1", 1L, 1L, 1L}, {"+1", 1L, 1L, 0L}, {"-1", -1L, -1L, 0L},
                {" 1", null, 0L, 0L}, {"1 ", null, 0L, 0L}, {"1.5", null, 0L, 0L}, {"abc", null, 0L, 0L},
                {"1e3", null, 0L, 0L}, {"0x10", null, 0L, 16L}, {"010", 10L, 10L, 8L}, {"0b101", null, 0L, 5L},
                {"0o17", null, 0L, 15L}, {"1_000", null, 0L, 1000L}, {"0x_1f", null, 0L, 31L}, {"_1", null, 0L, 0L},
                {"1_", null, 0L, 0L},
                {"9223372036854775807", 9223372036854775807L, 9223372036854775807L, 9223372036854775807L},
                {"9223372036854775808", null, 9223372036854775807L, -9223372036854775808L},
                {"-9223372036854775808", -9223372036854775808L, -9223372036854775808L, 0L},
                {"-9223372036854775809", null, -9223372036854775808L, 0L},
                {"99999999999999999999", null, 9223372036854775807L, 0L}, {"\u0661", null, 0L, 0L},
                {"18446744073709551615", null, 9223372036854775807L, -1L},
                {"18446744073709551616", null, 9223372036854775807L, 0L}, {"0x", null, 0L, 0L}, {"00", 0L, 0L, 0L},
                {"0X1F", null, 0L, 31L}, {"1__0", null, 0L, 0L}});
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("integers")
    void givenInput_whenParsedAsGoDoes_thenSameAsGo(String s, Long parseInt, long atoi, long parseUint) {
        Long gotParseInt = GoStrconv.parseInt(s);
        long gotAtoi = GoStrconv.atoi(s);
        long gotUint = GoStrconv.parseUintBase0(s);

        assertThat(gotParseInt).as("ParseInt(%s): got %s; want %s", s, gotParseInt, parseInt).isEqualTo(parseInt);
        assertThat(gotAtoi).as("Atoi(%s): got %s; want %s", s, gotAtoi, atoi).isEqualTo(atoi);
        assertThat(gotUint).as("ParseUint(%s, 0): got %s; want %s", s, gotUint, parseUint).isEqualTo(parseUint);
    }

    /** input, ParseFloat(s, 64) or null on error. */
    static Stream<Object[]> floats() {
        double inf = Double.POSITIVE_INFINITY;
        return Stream.of(new Object[][] {
                {"", null}, {"1", 1.0}, {"0.5", 0.5}, {"1e-3", 0.001}, {"0x1p-2", 0.25}, {"0x1.8p1", 3.0},
                {"0x10", null}, {"inf", inf}, {"+Inf", inf}, {"-infinity", -inf}, {"NaN", Double.NaN},
                {"nan", Double.NaN}, {"+nan", null}, {"1e400", null}, {"-1e400", null}, {"1f", null}, {"1d", null},
                {" 1", null}, {"1_0", 10.0}, {"0x1_0p0", 16.0}, {".5", 0.5}, {"5.", 5.0}, {"1E5", 100000.0},
                {"Infinity", inf}, {"abc", null}, {"1e", null}, {"0.0", 0.0}});
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("floats")
    void givenInput_whenParsedAsGoFloat_thenSameAsGo(String s, Double want) {
        Double got = GoStrconv.parseFloat(s);

        assertThat(got).as("ParseFloat(%s): got %s; want %s", s, got, want).isEqualTo(want);
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("windows")
    void givenTraceSeconds_whenConverted_thenGoDurationOnAmd64(String seconds, long want) {
        long got = TraceHandler.windowNanos(seconds);

        assertThat(got).as("trace?seconds=%s: got %d; want %d", seconds, got, want).isEqualTo(want);
    }

    static Stream<Object[]> windows() {
        return Stream.of(new Object[][] {
                {"", 1_000_000_000L}, {"abc", 1_000_000_000L}, {"0", 1_000_000_000L}, {"-2", 1_000_000_000L},
                {"0.5", 500_000_000L}, {"0x1p-2", 250_000_000L}, {"inf", Long.MIN_VALUE}, {"NaN", Long.MIN_VALUE},
                {"1e300", Long.MIN_VALUE}});
    }
}

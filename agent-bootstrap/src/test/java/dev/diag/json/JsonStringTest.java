package dev.diag.json;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class JsonStringTest {
    static Stream<Arguments> strings() {
        return Stream.of(
                Arguments.of("plain", "\"plain\""),
                Arguments.of("tab\there", "\"tab\\there\""),
                Arguments.of("a&b", "\"a\\u0026b\""),
                Arguments.of("\u0001", "\"\\u0001\""),
                Arguments.of("\u2028", "\"\\u2028\""),
                Arguments.of("\ud800x", "\"\\ufffdx\""),
                Arguments.of("\ud83d\ude00", "\"\ud83d\ude00\""));
    }

    @ParameterizedTest
    @MethodSource("strings")
    void givenAString_whenQuoted_thenEscapedAsEncodingJson(String s, String want) {
        assertThat(JsonString.of(s)).as("got %s; want %s", JsonString.of(s), want).isEqualTo(want);
    }
}

package dev.diag.api;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class VarJsonTest {
    @ParameterizedTest
    @CsvSource({
            "1.5, 1.5",
            "3, 3",
            "-2.25, -2.25",
            "100000, 100000",
            "1000000, 1e+06",
            "123456789, 1.23456789e+08",
            "0.0001, 0.0001",
            "0.00001, 1e-05",
            "0.1, 0.1",
            "0, 0",
            "-0.0, -0",
            "1e300, 1e+300"})
    void givenADouble_whenFormattedAsAnExpvarFloat_thenAsGosFormatFloatG(double d, String want) {
        assertThat(VarJson.goFloat(d)).as("got %s; want %s", VarJson.goFloat(d), want).isEqualTo(want);
    }

    @ParameterizedTest
    @CsvSource({
            "1.5, 1.5",
            "3, 3",
            "1000000, 1000000",
            "1e20, 100000000000000000000",
            "1e21, 1e+21",
            "0.000001, 0.000001",
            "0.0000001, 1e-7",
            "1.5e-10, 1.5e-10"})
    void givenADouble_whenMarshalledFromAFunc_thenAsGosEncodingJson(double d, String want) {
        assertThat(VarJson.jsonFloat(d)).as("got %s; want %s", VarJson.jsonFloat(d), want).isEqualTo(want);
    }
}

package dev.diag.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FormTest {
    @Test
    void givenRepeatedKey_whenRead_thenFirstValueWins() {
        Form f = Form.parse(null, "debug=1&debug=0");

        assertThat(f.value("debug")).isEqualTo("1");
    }

    @Test
    void givenBodyAndQuery_whenRead_thenBodyWinsAsInGo() {
        Form f = Form.parse("debug=2", "debug=1&seconds=3");

        assertThat(f.value("debug")).isEqualTo("2");
        assertThat(f.value("seconds")).isEqualTo("3");
    }

    @Test
    void givenPlusAndEscapes_whenRead_thenPlusIsSpaceAndPercentIsAByte() {
        Form f = Form.parse(null, "a=+1&b=%2B1&c=%zz&d;e=1&=x&f");

        assertThat(f.value("a")).isEqualTo(" 1");
        assertThat(f.value("b")).isEqualTo("+1");
        assertThat(f.value("c")).as("a bad escape drops the pair").isEmpty();
        assertThat(f.value("d")).as("a pair with ';' is dropped").isEmpty();
        assertThat(f.value("")).isEqualTo("x");
        assertThat(f.value("f")).isEmpty();
        assertThat(f.value("missing")).isEmpty();
    }
}

package dev.diag.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class UiHandlerTest {
    /** speedscope splits its hash at '&' and '=' before decoding, so neither may survive in a value. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "heap | '' | speedscope/index.html#profileURL=..%2F..%2Fheap&title=heap",
            "profile | seconds=10 | speedscope/index.html#profileURL=..%2F..%2Fprofile%3Fseconds%3D10&title=profile",
            "my profile | seconds=30 | speedscope/index.html#profileURL=..%2F..%2Fmy%2520profile%3Fseconds%3D30&title=my%20profile",
            "a:b&c=d | '' | speedscope/index.html#profileURL=..%2F..%2F.%2Fa%3Ab%26c%3Dd&title=a%3Ab%26c%3Dd",
            "what? | '' | speedscope/index.html#profileURL=..%2F..%2Fwhat%253F&title=what%3F"})
    void givenProfileName_whenLinked_thenOneHashValueEach(String name, String query, String want) {
        String got = UiHandler.viewerLink(name, query);

        assertThat(got).as("viewerLink(%s, %s): got %s; want %s", name, query, got, want).isEqualTo(want);
    }
}

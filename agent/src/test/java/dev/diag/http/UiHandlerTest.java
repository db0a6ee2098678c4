package dev.diag.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class UiHandlerTest {
    /** The name is one path segment: nothing in it may start a query or climb out of {@code view/}. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "heap | '' | view/heap",
            "profile | seconds=10 | view/profile?seconds=10",
            "my profile | seconds=30 | view/my%20profile?seconds=30",
            "a:b&c=d | '' | view/a:b&c=d",
            "what? | '' | view/what%3F"})
    void givenProfileName_whenLinked_thenOneHashValueEach(String name, String query, String want) {
        String got = UiHandler.viewerLink(name, query);

        assertThat(got).as("viewerLink(%s, %s): got %s; want %s", name, query, got, want).isEqualTo(want);
    }
}

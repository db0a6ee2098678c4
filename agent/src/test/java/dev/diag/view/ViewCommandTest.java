package dev.diag.view;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ViewCommandTest {
    @ParameterizedTest
    @CsvSource({"prof/cpu.pb.gz, prof/cpu.html", "heap.pb, heap.html", "go-heap.gz, go-heap.html",
            "prof/heap, prof/heap.html", ".pb.gz, .pb.gz.html", "a.pb.gz.bak, a.pb.gz.bak.html"})
    void givenInputFile_whenNoOutputGiven_thenHtmlNextToIt(String input, String want) {
        Path got = ViewCommand.defaultOutput(Path.of(input));

        assertThat(got).as("defaultOutput(%s): got %s; want %s", input, got, want).isEqualTo(Path.of(want));
    }

    @ParameterizedTest
    @CsvSource({"http://127.0.0.1:6060/debug/pprof/heap, heap",
            "http://127.0.0.1:6060/debug/pprof/profile?seconds=30, profile",
            "http://127.0.0.1:6060/debug/pprof/goroutine/, goroutine", "http://127.0.0.1:6060, profile"})
    void givenUrl_whenNamed_thenLastPathSegment(String url, String want) {
        assertThat(ProfileDownload.name(url)).isEqualTo(want);
    }
}

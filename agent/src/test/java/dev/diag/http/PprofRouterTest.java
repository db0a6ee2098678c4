package dev.diag.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class PprofRouterTest {
    @ParameterizedTest
    @CsvSource({
            "/debug/pprof/heap, /debug/pprof/heap",
            "/debug/pprof/heap/, /debug/pprof/heap/",
            "//debug//pprof/heap, /debug/pprof/heap",
            "/debug/pprof/../../etc/passwd, /etc/passwd",
            "/debug/pprof/./heap, /debug/pprof/heap",
            "/.., /",
            "debug/pprof, /debug/pprof",
            "/debug/pprof/x/.., /debug/pprof"})
    void givenPath_whenCleaned_thenAsGoServeMux(String path, String want) {
        String got = PprofRouter.cleanPath(path);

        assertThat(got).as("cleanPath(%s): got %s; want %s", path, got, want).isEqualTo(want);
    }

    @ParameterizedTest
    @CsvSource({"goroutine, goroutine?debug=1", "my profile, my%20profile?debug=1", "a:b, ./a:b?debug=1",
            "<x>, %3Cx%3E?debug=1"})
    void givenProfileName_whenLinked_thenEscapedAsGoUrl(String name, String want) {
        assertThat(IndexHandler.link(name)).isEqualTo(want);
    }

    @ParameterizedTest
    @CsvSource({"localhost, true", "LOCALHOST., true", "app.localhost, true", "127.0.0.1, true", "127.1.2.3, true",
            "::1, true", "0:0:0:0:0:0:0:1, true", "127.0.0.1.nip.io, false", "evil.example, false", "10.0.0.1, false",
            "127.0.0.256, false", "localhost.evil.example, false"})
    void givenHostName_whenCheckedForLoopback_thenOnlyLoopbackNamesPass(String host, boolean want) {
        assertThat(AllowedHosts.isLoopbackName(host)).as(host).isEqualTo(want);
    }

    @ParameterizedTest
    @CsvSource({"localhost:6060, localhost", "[::1]:6060, ::1", "127.0.0.1, 127.0.0.1", "::1, ::1"})
    void givenHostHeader_whenSplit_thenHostWithoutPort(String header, String want) {
        assertThat(AccessFilter.hostPart(header)).isEqualTo(want);
    }
}

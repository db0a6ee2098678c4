package dev.diag.view;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class StandaloneHtmlWriterTest {
    @Test
    void givenHostileFileName_whenPageWritten_thenNameCannotEndAnElement() throws Exception {
        String name = "x</script><script>alert(1)</script>\u2028.pb.gz";

        String html = new String(StandaloneHtmlWriter.html(name, new byte[] {1, 2, 3}), StandardCharsets.UTF_8);

        assertThat(html).doesNotContain("alert(1)</script>", "<script>alert(1)")
                .contains("<title>x&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("\"x\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\\u2028.pb.gz\"")
                .contains("\"AQID\"");
    }

    @Test
    void givenPackedSpeedscope_whenPageWritten_thenScriptStyleAndFontAreInside() throws Exception {
        String html = new String(StandaloneHtmlWriter.html("cpu.pb.gz", new byte[0]), StandardCharsets.UTF_8);

        assertThat(html).contains("data:font/woff2;base64,", "loadFileFromBase64", "localProfilePath=")
                .doesNotContain("src=\"speedscope-", "href=\"speedscope-", "url(\"./");
    }
}

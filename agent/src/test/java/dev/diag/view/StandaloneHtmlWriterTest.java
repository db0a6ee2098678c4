package dev.diag.view;

import org.junit.jupiter.api.Test;

import dev.diag.pprof.GoProfiles;
import dev.diag.pprof.Label;
import dev.diag.pprof.ProfileData;
import dev.diag.pprof.ProfileEncoder;
import dev.diag.pprof.Sample;
import dev.diag.pprof.ValueType;
import dev.diag.stack.Frame;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StandaloneHtmlWriterTest {
    @Test
    void givenHostileFileName_whenPageWritten_thenNameCannotEndAnElement() throws Exception {
        String name = "x</script><script>alert(1)</script>\u2028.pb.gz";

        String html = new String(StandaloneHtmlWriter.html(name, profile()), StandardCharsets.UTF_8);

        assertThat(html).doesNotContain("alert(1)</script>", "<script>alert(1)")
                .contains("<title>x&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("\"x\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\\u2028.pb.gz\"")
                .contains("loadFileFromBase64(name, data)");
    }

    @Test
    void givenPackedSpeedscope_whenPageWritten_thenScriptStyleAndFontAreInside() throws Exception {
        String html = new String(StandaloneHtmlWriter.html("cpu.pb.gz", profile()), StandardCharsets.UTF_8);

        assertThat(html).contains("data:font/woff2;base64,", "loadFileFromBase64", "localProfilePath=")
                .doesNotContain("src=\"speedscope-", "href=\"speedscope-", "url(\"./");
    }

    @Test
    void givenTwoTypesAndALabel_whenPageWritten_thenEveryChoiceIsEmbeddedAndTheAskedOneOpens() throws Exception {
        String html = new String(StandaloneHtmlWriter.html("heap.pb.gz", profile(), "alloc_space", "job=a"),
                StandardCharsets.UTF_8);

        String box = html.substring(html.indexOf("<div id=\"diag-focus\""), html.indexOf("<div id=\"diag-focus-now\""));
        String variants = html.substring(html.indexOf("var variants = {"));
        for (String type : List.of("alloc_objects", "alloc_space", "inuse_objects", "inuse_space")) {
            assertThat(box).contains("data-type=\"" + type + "\"");
            assertThat(variants).contains("\"" + type + "\\u000a\": \"",
                    "\"" + type + "\\u000ajob=a\": ");
        }
        assertThat(box).contains("data-focus=\"job=a\"");
        assertThat(variants).contains("var now = {t: \"alloc_space\", f: \"job=a\"};");
    }

    @Test
    void givenUnknownSampleType_whenPageWritten_thenRefusedNamingTheTypes() {
        assertThatThrownBy(() -> StandaloneHtmlWriter.html("heap.pb.gz", profile(), "cpu", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alloc_objects, alloc_space");
    }

    private static byte[] profile() {
        Frame f = new Frame("app.Work", "run", "()V", "Work.java", 1);
        return ProfileEncoder.toGzip(new ProfileData(GoProfiles.MEMORY_TYPES, null, new ValueType("space", "bytes"),
                1, 1, 0, List.of(new Sample(new Frame[] {f}, new long[] {1, 2, 3, 4},
                        List.of(Label.string("job", "a")))), List.of()));
    }
}

package dev.diag.pprof;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TabWriterTest {
    @Test
    void givenFrameLines_whenAligned_thenBytesAsGoTabwriter() {
        String in = "goroutine profile: total 3\n2 @ 0x400010 0x400020\n"
                + "#\t0x400010\tjava.lang.Object.wait+0x0\tObject.java:0\n"
                + "#\t0x400020\tcom.example.VeryLongClassNameForAlignment.run+0x0\tVeryLongClassNameForAlignment.java:123\n"
                + "\n1 @ 0x400030\n#\t0x400030\ta.b+0x0\t?:0\n\n";

        String got = TabWriter.format(in);

        // Printed by Go 1.19: tabwriter.NewWriter(&b, 1, 8, 1, '\t', 0) over the same text.
        assertThat(got).isEqualTo("goroutine profile: total 3\n2 @ 0x400010 0x400020\n"
                + "#\t0x400010\tjava.lang.Object.wait+0x0\t\t\t\tObject.java:0\n"
                + "#\t0x400020\tcom.example.VeryLongClassNameForAlignment.run+0x0\tVeryLongClassNameForAlignment.java:123\n"
                + "\n1 @ 0x400030\n#\t0x400030\ta.b+0x0\t?:0\n\n");
    }
}

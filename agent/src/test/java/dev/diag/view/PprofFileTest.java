package dev.diag.view;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Profiles are built with protobuf-java's generic writer, not diag's encoder, so the check meets a foreign writer. */
class PprofFileTest {
    private static final byte[] PROFILE = profile();

    @Test
    void givenPprofPlainOrGzipped_whenChecked_thenAccepted() throws IOException {
        String plain = PprofFile.problem(PROFILE);
        String gzipped = PprofFile.problem(gzip(PROFILE));

        assertThat(plain).as("plain: got %s; want null", plain).isNull();
        assertThat(gzipped).as("gzipped: got %s; want null", gzipped).isNull();
    }

    @Test
    void givenOtherFiles_whenChecked_thenEachNamedWithItsReason() throws IOException {
        byte[] text = "name,value\nheap,12\n".getBytes(StandardCharsets.UTF_8);
        byte[] truncated = Arrays.copyOf(PROFILE, PROFILE.length - 3);
        byte[] noStrings = UnknownFieldSet.newBuilder()
                .addField(9, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build().toByteArray();
        byte[] wrongWireType = UnknownFieldSet.newBuilder()
                .addField(6, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build().toByteArray();
        byte[] brokenGzip = Arrays.copyOf(gzip(PROFILE), 12);

        assertThat(PprofFile.problem(text)).startsWith("it is neither gzip nor a profile.proto message");
        assertThat(PprofFile.problem(gzip(text))).startsWith("it unzips to something other than a profile.proto");
        assertThat(PprofFile.problem(truncated)).isEqualTo("it is neither gzip nor a profile.proto message (not protobuf)");
        assertThat(PprofFile.problem(noStrings)).contains("(no string table)");
        assertThat(PprofFile.problem(wrongWireType)).contains("field 6, wire type 0 is not one of Profile's");
        assertThat(PprofFile.problem(new byte[0])).contains("(no string table)");
        assertThat(PprofFile.problem(brokenGzip)).startsWith("it is gzip, but does not unzip");
    }

    /** sample_type {type: 1, unit: 2}, one sample of value 7 at location 1, string table, time_nanos, comment. */
    private static byte[] profile() {
        UnknownFieldSet valueType = UnknownFieldSet.newBuilder()
                .addField(1, varint(1)).addField(2, varint(2)).build();
        UnknownFieldSet sample = UnknownFieldSet.newBuilder()
                .addField(1, varint(1)).addField(2, varint(7)).build();
        UnknownFieldSet.Field strings = UnknownFieldSet.Field.newBuilder()
                .addLengthDelimited(ByteString.EMPTY).addLengthDelimited(ByteString.copyFromUtf8("samples"))
                .addLengthDelimited(ByteString.copyFromUtf8("count")).build();
        return UnknownFieldSet.newBuilder()
                .addField(1, UnknownFieldSet.Field.newBuilder().addLengthDelimited(valueType.toByteString()).build())
                .addField(2, UnknownFieldSet.Field.newBuilder().addLengthDelimited(sample.toByteString()).build())
                .addField(6, strings)
                .addField(9, varint(1_700_000_000_000_000_000L))
                .addField(13, varint(1))
                .build().toByteArray();
    }

    private static UnknownFieldSet.Field varint(long v) {
        return UnknownFieldSet.Field.newBuilder().addVarint(v).build();
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }
}

package dev.diag.view;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Tells a pprof profile (profile.proto, gzipped as Go and diag write it, or plain) from any other file, before it is
 * handed to a viewer that would only say "Unrecognized format". The check walks the top-level fields: each must be a
 * field of {@code Profile} with its wire type, the message must end exactly at the end of the data, and the string
 * table, which every writer fills (index 0 is ""), must be there.
 */
final class PprofFile {
    private static final int VARINT = ProtoFields.VARINT;
    private static final int LEN = ProtoFields.LEN;
    private static final int STRING_TABLE = 6; // repeated string
    private static final int MAX_UNZIPPED = 1 << 30;

    private PprofFile() {}

    /** Returns null when {@code bytes} hold a pprof profile, else a short reason why not. */
    static String problem(byte[] bytes) {
        if (bytes.length < 2 || (bytes[0] & 0xff) != 0x1f || (bytes[1] & 0xff) != 0x8b) {
            String p = protoProblem(bytes);
            return p == null ? null : "it is neither gzip nor a profile.proto message (" + p + ")";
        }
        byte[] proto;
        try {
            proto = unzipped(bytes);
        } catch (IOException e) {
            return "it is gzip, but does not unzip (" + e.getMessage() + ")";
        }
        String p = protoProblem(proto);
        return p == null ? null : "it unzips to something other than a profile.proto message (" + p + ")";
    }

    /** Returns the profile.proto message in {@code bytes}: unzipped when gzipped, else as it is. */
    static byte[] unzipped(byte[] bytes) throws IOException {
        if (bytes.length < 2 || (bytes[0] & 0xff) != 0x1f || (bytes[1] & 0xff) != 0x8b) return bytes;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readNBytes(MAX_UNZIPPED);
        }
    }

    private static String protoProblem(byte[] b) {
        List<ProtoFields.Field> fields;
        try {
            fields = ProtoFields.read(b);
        } catch (IllegalArgumentException e) {
            return "not protobuf";
        }
        boolean strings = false;
        for (ProtoFields.Field f : fields) {
            if (!expected(f.number(), f.wire())) {
                return "field " + f.number() + ", wire type " + f.wire() + " is not one of Profile's";
            }
            if (f.number() == STRING_TABLE) strings = true;
        }
        return strings ? null : "no string table";
    }

    /** Profile's fields: 7-10, 12 and 14 are int64 (varint), 13 (comment) is repeated int64 (packed or not). */
    private static boolean expected(int field, int wire) {
        switch (field) {
            case 1: case 2: case 3: case 4: case 5: case 6: case 11: return wire == LEN;
            case 7: case 8: case 9: case 10: case 12: case 14: return wire == VARINT;
            case 13: return wire == VARINT || wire == LEN;
            default: return false;
        }
    }
}

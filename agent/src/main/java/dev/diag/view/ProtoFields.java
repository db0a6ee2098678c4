package dev.diag.view;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads one protocol-buffer message as its list of fields, without a schema: each field's number, wire type, and its
 * varint or the place of its bytes in the buffer. Enough to rewrite a pprof profile field by field (copying what it
 * does not change byte for byte) with {@link dev.diag.pprof.ProtoWriter}. Malformed input throws
 * {@link IllegalArgumentException}, never reads out of bounds.
 */
final class ProtoFields {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LEN = 2;
    static final int FIXED32 = 5;

    /** One field: {@code value} for a varint, else the bytes {@code [start, end)} of {@code buf}. */
    record Field(int number, int wire, long value, byte[] buf, int start, int end) {
        byte[] bytes() {
            return java.util.Arrays.copyOfRange(buf, start, end);
        }

        /** Returns the varints of a repeated scalar field: the one value, or the packed list. */
        void addVarints(List<Long> out) {
            if (wire == VARINT) {
                out.add(value);
                return;
            }
            if (wire != LEN) throw new IllegalArgumentException("field " + number + " is not a varint");
            int[] pos = {start};
            while (pos[0] < end) out.add(varint(buf, pos, end));
        }
    }

    private ProtoFields() {}

    static List<Field> read(byte[] b) {
        return read(b, 0, b.length);
    }

    static List<Field> read(Field message) {
        return read(message.buf(), message.start(), message.end());
    }

    static List<Field> read(byte[] b, int from, int to) {
        List<Field> fields = new ArrayList<>();
        int[] pos = {from};
        while (pos[0] < to) {
            long key = varint(b, pos, to);
            int number = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (number <= 0 || key >>> 3 > Integer.MAX_VALUE) throw new IllegalArgumentException("not protobuf");
            switch (wire) {
                case VARINT:
                    fields.add(new Field(number, wire, varint(b, pos, to), b, 0, 0));
                    break;
                case LEN: {
                    long n = varint(b, pos, to);
                    if (n < 0 || n > to - pos[0]) throw new IllegalArgumentException("not protobuf");
                    fields.add(new Field(number, wire, 0, b, pos[0], pos[0] + (int) n));
                    pos[0] += (int) n;
                    break;
                }
                case FIXED64:
                case FIXED32: {
                    int n = wire == FIXED64 ? 8 : 4;
                    if (n > to - pos[0]) throw new IllegalArgumentException("not protobuf");
                    fields.add(new Field(number, wire, 0, b, pos[0], pos[0] + n));
                    pos[0] += n;
                    break;
                }
                default:
                    throw new IllegalArgumentException("not protobuf (wire type " + wire + ")");
            }
        }
        return fields;
    }

    private static long varint(byte[] b, int[] pos, int to) {
        long v = 0;
        for (int shift = 0; shift < 70 && pos[0] < to; shift += 7) {
            int x = b[pos[0]++] & 0xff;
            v |= (long) (x & 0x7f) << shift;
            if (x < 0x80) return v;
        }
        throw new IllegalArgumentException("not protobuf (bad varint)");
    }
}

package dev.diag.pprof;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Protocol-buffer wire encoding, nothing else: varints, length-delimited fields and nested messages whose
 * length is back-patched, as Go's {@code runtime/pprof/protobuf.go}. Field meaning lives with the callers.
 *
 * <p>Hand-written rather than protobuf-java: the agent then carries no protobuf runtime (no clash with the app's,
 * no {@code sun.misc.Unsafe} warnings on JDK 24+), and encoding allocates one growing buffer.
 */
public final class ProtoWriter {
    private static final int WIRE_VARINT = 0;
    private static final int WIRE_FIXED64 = 1;
    private static final int WIRE_BYTES = 2;

    private byte[] buf = new byte[4096];
    private int pos;

    /** Writes an int64/uint64/bool field, always (also when zero). */
    public void int64(int tag, long v) {
        key(tag, WIRE_VARINT);
        varint(v);
    }

    /** Writes an int64 field unless it is zero (proto3 default). */
    public void int64Opt(int tag, long v) {
        if (v != 0) int64(tag, v);
    }

    public void boolOpt(int tag, boolean v) {
        if (v) int64(tag, 1);
    }

    /** Writes a packed repeated int64 field (nothing when empty). */
    public void int64s(int tag, long[] vs, int count) {
        if (count == 0) return;
        int start = startMessage();
        for (int i = 0; i < count; i++) varint(vs[i]);
        endMessage(tag, start);
    }

    /** Writes a fixed64 field (8 bytes, little-endian), as Perfetto's flow ids. */
    public void fixed64(int tag, long v) {
        key(tag, WIRE_FIXED64);
        ensure(8);
        for (int i = 0; i < 8; i++) buf[pos++] = (byte) (v >>> (8 * i));
    }

    public void string(int tag, String s) {
        bytes(tag, s.getBytes(StandardCharsets.UTF_8));
    }

    public void bytes(int tag, byte[] b) {
        key(tag, WIRE_BYTES);
        varint(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    /**
     * Starts a nested message; returns a mark for {@link #endMessage}. The message body is written in place and
     * moved once its length is known.
     */
    public int startMessage() {
        return pos;
    }

    /** Ends the message started at {@code start}, prefixing it with its tag and length. */
    public void endMessage(int tag, int start) {
        int length = pos - start;
        byte[] header = new byte[20];
        int n = 0;
        for (long k = ((long) tag << 3) | WIRE_BYTES; ; k >>>= 7) {
            if ((k & ~0x7FL) == 0) { header[n++] = (byte) k; break; }
            header[n++] = (byte) ((k & 0x7F) | 0x80);
        }
        for (long l = length; ; l >>>= 7) {
            if ((l & ~0x7FL) == 0) { header[n++] = (byte) l; break; }
            header[n++] = (byte) ((l & 0x7F) | 0x80);
        }
        ensure(n);
        System.arraycopy(buf, start, buf, start + n, length);
        System.arraycopy(header, 0, buf, start, n);
        pos += n;
    }

    /** Returns how many bytes were written so far: a mark for slicing {@link #toByteArray}. */
    public int size() {
        return pos;
    }

    /** Returns the bytes written so far. */
    public byte[] toByteArray() {
        return java.util.Arrays.copyOf(buf, pos);
    }

    public void writeTo(ByteArrayOutputStream out) {
        out.write(buf, 0, pos);
    }

    private void key(int tag, int wireType) {
        varint(((long) tag << 3) | wireType);
    }

    private void varint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    private void ensure(int extra) {
        if (pos + extra > buf.length) buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, pos + extra));
    }
}

package dev.diag.sampler;

import java.nio.charset.StandardCharsets;

/**
 * A cursor over the bytes of a JFR file: the chunk header's big-endian numbers, the compressed integers (7 bits a
 * byte, least significant first, the ninth byte whole) of everything else, and strings with their encoding byte.
 */
final class JfrInput {
    private static final int STRING_NULL = 0;
    private static final int STRING_EMPTY = 1;
    private static final int STRING_CONSTANT = 2;
    private static final int STRING_UTF8 = 3;
    private static final int STRING_CHARS = 4;
    private static final int STRING_LATIN1 = 5;

    final byte[] bytes;
    int position;

    JfrInput(byte[] bytes) {
        this.bytes = bytes;
    }

    byte readByte() {
        return bytes[position++];
    }

    long readLong() {
        long value = 0;
        for (int shift = 0; shift < 56; shift += 7) {
            byte b = bytes[position++];
            value |= (b & 0x7FL) << shift;
            if (b >= 0) return value;
        }
        return value | (bytes[position++] & 0xFFL) << 56;
    }

    int readInt() {
        return (int) readLong();
    }

    /** A count or size, which a well-formed file never makes negative or larger than itself. */
    int readCount() throws JfrFormatException {
        long n = readLong();
        if (n < 0 || n > bytes.length) throw new JfrFormatException("bad count " + n + " at " + position);
        return (int) n;
    }

    long rawLong(int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = v << 8 | (bytes[at + i] & 0xFF);
        return v;
    }

    int rawInt(int at) {
        return (int) (rawLong(at) >>> 32);
    }

    int rawShort(int at) {
        return (bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF;
    }

    /**
     * Reads a string; {@code pool} resolves one stored in the string constant pool (null when the file has none, as
     * in the metadata's own string table).
     */
    String readString(JfrConstantPools pool) throws JfrFormatException {
        int encoding = readByte();
        switch (encoding) {
            case STRING_NULL:
                return null;
            case STRING_EMPTY:
                return "";
            case STRING_CONSTANT:
                long key = readLong();
                if (pool == null) throw new JfrFormatException("string constant outside a chunk");
                return pool.string(key);
            case STRING_UTF8:
            case STRING_LATIN1: {
                int n = readCount();
                String s = new String(bytes, position, n,
                        encoding == STRING_UTF8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
                position += n;
                return s;
            }
            case STRING_CHARS: {
                int n = readCount();
                char[] chars = new char[n];
                for (int i = 0; i < n; i++) chars[i] = (char) readLong();
                return new String(chars);
            }
            default:
                throw new JfrFormatException("unknown string encoding " + encoding + " at " + (position - 1));
        }
    }

    void skipString() throws JfrFormatException {
        int encoding = readByte();
        switch (encoding) {
            case STRING_NULL, STRING_EMPTY -> { }
            case STRING_CONSTANT -> readLong();
            case STRING_UTF8, STRING_LATIN1 -> {
                int n = readCount(); // before the addition, which would take the position from before the count
                position += n;
            }
            case STRING_CHARS -> {
                for (int n = readCount(); n > 0; n--) readLong();
            }
            default -> throw new JfrFormatException("unknown string encoding " + encoding + " at " + (position - 1));
        }
    }

    /** Moves past one value of {@code field}: an array's elements, a constant's key, or the value itself. */
    void skip(JfrMetadata.Field field) throws JfrFormatException {
        int n = field.array() ? readCount() : 1;
        for (int i = 0; i < n; i++) {
            if (field.constantPool()) {
                readLong();
            } else {
                skip(field.type());
            }
        }
    }

    /** Moves past one value of {@code type}, written in place. */
    void skip(JfrMetadata.Type type) throws JfrFormatException {
        switch (type.kind()) {
            case BYTE -> position++;
            case INTEGER -> readLong();
            case FLOAT -> position += 4;
            case DOUBLE -> position += 8;
            case STRING -> skipString();
            case STRUCT -> {
                for (JfrMetadata.Field f : type.fields()) skip(f);
            }
        }
    }
}

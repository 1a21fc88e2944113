package io.memdrs.stream.taskstate;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes the compact state format: a three-byte header ({@link #MARKER}, the record kind, the format version), then
 * fields in a fixed order — integers as zig-zag varints, doubles as 8 bytes, strings as a varint length and UTF-8,
 * nullable strings behind a presence byte. One writer per thread; {@link #toBytes()} returns a fresh array.
 */
final class CompactWriter {
    /** First byte of every value in the compact format. Avro single-object values start with {@code C3 01} instead. */
    static final byte MARKER = (byte) 0xB7;

    private byte[] buf = new byte[256];
    private int pos;

    CompactWriter start(byte kind, byte version) {
        pos = 0;
        ensure(3);
        buf[pos++] = MARKER;
        buf[pos++] = kind;
        buf[pos++] = version;
        return this;
    }

    CompactWriter writeLong(long v) {
        ensure(10);
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((z & 0x7F) | 0x80);
            z >>>= 7;
        }
        buf[pos++] = (byte) z;
        return this;
    }

    CompactWriter writeDouble(double v) {
        ensure(8);
        long bits = Double.doubleToRawLongBits(v);
        for (int i = 0; i < 8; i++) {
            buf[pos++] = (byte) (bits >>> (8 * i));
        }
        return this;
    }

    CompactWriter writeBoolean(boolean v) {
        ensure(1);
        buf[pos++] = (byte) (v ? 1 : 0);
        return this;
    }

    CompactWriter writeString(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeLong(bytes.length);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
        return this;
    }

    CompactWriter writeNullableString(String s) {
        writeBoolean(s != null);
        return s == null ? this : writeString(s);
    }

    CompactWriter writeLongMap(Map<String, Long> map) {
        writeLong(map.size());
        map.forEach((k, v) -> writeString(k).writeLong(v));
        return this;
    }

    byte[] toBytes() {
        return Arrays.copyOf(buf, pos);
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }
}

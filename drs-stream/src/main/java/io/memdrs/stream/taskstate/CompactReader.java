package io.memdrs.stream.taskstate;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Reads what {@link CompactWriter} wrote; a value cut short or malformed raises {@link IllegalStateException}. */
final class CompactReader {
    private final byte[] buf;
    private final String what;
    private int pos;

    private CompactReader(byte[] buf, int pos, String what) {
        this.buf = buf;
        this.pos = pos;
        this.what = what;
    }

    /** True when {@code bytes} start with the compact format's marker. */
    static boolean isCompact(byte[] bytes) {
        return bytes.length >= 3 && bytes[0] == CompactWriter.MARKER;
    }

    /**
     * A reader positioned after the header, once the header says {@code kind} in a version this release reads
     * ({@code 1..maxVersion}); {@code what} names the state in errors.
     */
    static CompactReader open(byte[] bytes, byte kind, int maxVersion, String what) {
        if (!isCompact(bytes)) {
            throw new IllegalStateException(what + " value is neither the compact state format nor Avro");
        }
        if (bytes[1] != kind) {
            throw new IllegalStateException(what + " value is of record kind " + bytes[1] + ", expected " + kind);
        }
        int version = bytes[2] & 0xFF;
        if (version < 1 || version > maxVersion) {
            throw new IllegalStateException(what + " value is in state format version " + version + "; this release "
                    + "reads versions 1 to " + maxVersion + " (written by a newer release?)");
        }
        return new CompactReader(bytes, 3, what);
    }

    /** The format version of the value being read. */
    int version() {
        return buf[2] & 0xFF;
    }

    long readLong() {
        long z = 0;
        int shift = 0;
        while (true) {
            byte b = next();
            z |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
            if (shift > 63) {
                throw new IllegalStateException(what + " value has a malformed varint at byte " + pos);
            }
        }
        return (z >>> 1) ^ -(z & 1);
    }

    int readInt() {
        long v = readLong();
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalStateException(what + " value has an int out of range at byte " + pos);
        }
        return (int) v;
    }

    double readDouble() {
        require(8);
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits |= (long) (buf[pos++] & 0xFF) << (8 * i);
        }
        return Double.longBitsToDouble(bits);
    }

    boolean readBoolean() {
        return next() != 0;
    }

    String readString() {
        long length = readLong();
        if (length < 0 || length > buf.length - pos) {
            throw new IllegalStateException(what + " value is cut short: a string of " + length + " bytes at byte "
                    + pos + " of " + buf.length);
        }
        String s = new String(buf, pos, (int) length, StandardCharsets.UTF_8);
        pos += (int) length;
        return s;
    }

    String readNullableString() {
        return readBoolean() ? readString() : null;
    }

    Map<String, Long> readLongMap() {
        long n = readLong();
        if (n < 0 || n > buf.length - pos) {
            throw new IllegalStateException(what + " value has a map of " + n + " entries at byte " + pos);
        }
        Map<String, Long> map = new HashMap<>((int) (n * 4 / 3) + 1);
        for (long i = 0; i < n; i++) {
            String key = readString();
            map.put(key, readLong());
        }
        return map;
    }

    /** Fails when bytes are left over: a value this reader did not fully understand. */
    void end() {
        if (pos != buf.length) {
            throw new IllegalStateException(what + " value has " + (buf.length - pos) + " bytes after its last field");
        }
    }

    private byte next() {
        require(1);
        return buf[pos++];
    }

    private void require(int n) {
        if (pos + n > buf.length) {
            throw new IllegalStateException(what + " value is cut short at byte " + pos + " of " + buf.length);
        }
    }
}

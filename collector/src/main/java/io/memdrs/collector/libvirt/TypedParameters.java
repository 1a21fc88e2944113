package io.memdrs.collector.libvirt;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Union;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * An array of libvirt's {@code virTypedParameter}, read into Java: name → value.
 *
 * <pre>
 * struct _virTypedParameter {
 *     char field[VIR_TYPED_PARAM_FIELD_LENGTH];   // 80, NUL-terminated name, e.g. "balloon.rss"
 *     int type;                                   // VIR_TYPED_PARAM_INT .. _STRING (1..7)
 *     union { int i; unsigned int ui; long long l; unsigned long long ul; double d; char b; char *s; } value;
 * };
 * </pre>
 *
 * The offsets come from JNA's layout of that struct for this platform (on x86_64: type at 80, value at 88, 96 bytes
 * each). The whole array is copied out in one native read and decoded in Java, which keeps a poll of a thousand
 * domains at one JNI transition per domain rather than three per parameter. Integer types are widened to long
 * (unsigned int without sign extension; unsigned long long above 2^63 would wrap, which no balloon or state figure
 * reaches), booleans become 0/1, doubles and strings are kept as such.
 */
public final class TypedParameters {
    /** VIR_TYPED_PARAM_FIELD_LENGTH. */
    static final int FIELD_LENGTH = 80;
    static final int SIZE;
    static final int TYPE_OFFSET;
    static final int VALUE_OFFSET;

    static {
        Layout layout = new Layout();
        SIZE = layout.size();
        TYPE_OFFSET = layout.offsetOf("type");
        VALUE_OFFSET = layout.offsetOf("value");
    }

    /** The C layout, used only to learn sizes and offsets for this platform. */
    @Structure.FieldOrder({"field", "type", "value"})
    public static final class Layout extends Structure {
        public byte[] field = new byte[FIELD_LENGTH];
        public int type;
        public Value value;

        int offsetOf(String name) {
            return fieldOffset(name);
        }

        /** The value union. */
        public static final class Value extends Union {
            public int i;
            public long l;
            public double d;
            public byte b;
            public Pointer s;
        }
    }

    private final Map<String, Object> values;

    private TypedParameters(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** Reads {@code count} parameters starting at {@code params}; an empty set when there are none. */
    public static TypedParameters read(Pointer params, int count) {
        if (params == null || count <= 0) {
            return new TypedParameters(Map.of());
        }
        byte[] raw = params.getByteArray(0, count * SIZE);
        ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
        Map<String, Object> values = new LinkedHashMap<>(count * 2);
        for (int i = 0; i < count; i++) {
            int base = i * SIZE;
            int end = base;
            while (end < base + FIELD_LENGTH && raw[end] != 0) {
                end++;
            }
            String name = new String(raw, base, end - base, StandardCharsets.US_ASCII);
            int type = buf.getInt(base + TYPE_OFFSET);
            int at = base + VALUE_OFFSET;
            Object value = switch (type) {
                case LibvirtNative.TYPED_PARAM_INT -> (long) buf.getInt(at);
                case LibvirtNative.TYPED_PARAM_UINT -> Integer.toUnsignedLong(buf.getInt(at));
                case LibvirtNative.TYPED_PARAM_LLONG, LibvirtNative.TYPED_PARAM_ULLONG -> buf.getLong(at);
                case LibvirtNative.TYPED_PARAM_DOUBLE -> buf.getDouble(at);
                case LibvirtNative.TYPED_PARAM_BOOLEAN -> buf.get(at) != 0 ? 1L : 0L;
                case LibvirtNative.TYPED_PARAM_STRING -> string(params, i * SIZE + VALUE_OFFSET);
                default -> null; // a type newer than this code: skip the parameter
            };
            if (value != null) {
                values.put(name, value);
            }
        }
        return new TypedParameters(values);
    }

    private static String string(Pointer params, long offset) {
        Pointer s = params.getPointer(offset);
        return s == null ? null : s.getString(0, StandardCharsets.UTF_8.name());
    }

    /** Builds a set from Java values (tests). */
    static TypedParameters of(Map<String, Object> values) {
        return new TypedParameters(new LinkedHashMap<>(values));
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** An integer or boolean parameter; empty when absent or of another type. */
    public OptionalLong longValue(String name) {
        return values.get(name) instanceof Long l ? OptionalLong.of(l) : OptionalLong.empty();
    }

    /** A string parameter, or null. */
    public String string(String name) {
        return values.get(name) instanceof String s ? s : null;
    }

    public Map<String, Object> asMap() {
        return values;
    }

    public int size() {
        return values.size();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}

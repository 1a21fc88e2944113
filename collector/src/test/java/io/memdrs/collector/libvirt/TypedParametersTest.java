package io.memdrs.collector.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Decoding virTypedParameter arrays exactly as the C struct lays them out (written here through JNA's layout). */
class TypedParametersTest {

    @Test
    void shouldUseTheCStructLayoutOfThisPlatform() {
        assertEquals(80, TypedParameters.TYPE_OFFSET, "type follows char field[80]");
        if (com.sun.jna.Native.POINTER_SIZE == 8) {
            assertEquals(88, TypedParameters.VALUE_OFFSET, "the union is 8-byte aligned on 64-bit");
            assertEquals(96, TypedParameters.SIZE);
        }
    }

    @Test
    void shouldDecodeEveryTypeByName() {
        TypedParameters.Layout[] params = array(7);
        set(params[0], "state.state", LibvirtNative.TYPED_PARAM_INT).value.setType(int.class);
        params[0].value.i = 1;
        set(params[1], "negative.int", LibvirtNative.TYPED_PARAM_INT).value.setType(int.class);
        params[1].value.i = -5;
        set(params[2], "big.uint", LibvirtNative.TYPED_PARAM_UINT).value.setType(int.class);
        params[2].value.i = 0xFFFF_FFFE;
        set(params[3], "balloon.rss", LibvirtNative.TYPED_PARAM_ULLONG).value.setType(long.class);
        params[3].value.l = 229_960L;
        set(params[4], "cpu.ratio", LibvirtNative.TYPED_PARAM_DOUBLE).value.setType(double.class);
        params[4].value.d = 0.25;
        set(params[5], "flag", LibvirtNative.TYPED_PARAM_BOOLEAN).value.setType(byte.class);
        params[5].value.b = 1;
        Memory text = new Memory(8);
        text.setString(0, "vda", StandardCharsets.UTF_8.name());
        set(params[6], "block.0.name", LibvirtNative.TYPED_PARAM_STRING).value.setType(Pointer.class);
        params[6].value.s = text;
        write(params);

        TypedParameters read = TypedParameters.read(params[0].getPointer(), params.length);

        assertEquals(OptionalLong.of(1), read.longValue("state.state"));
        assertEquals(OptionalLong.of(-5), read.longValue("negative.int"));
        assertEquals(OptionalLong.of(4_294_967_294L), read.longValue("big.uint"), "unsigned int is not sign-extended");
        assertEquals(OptionalLong.of(229_960L), read.longValue("balloon.rss"));
        assertEquals(0.25, read.asMap().get("cpu.ratio"));
        assertEquals(OptionalLong.of(1), read.longValue("flag"), "booleans read as 0/1");
        assertEquals("vda", read.string("block.0.name"));
        assertEquals(7, read.size());
    }

    @Test
    void shouldReadANameThatFillsTheWholeField() {
        String longest = "x".repeat(TypedParameters.FIELD_LENGTH - 1);
        TypedParameters.Layout[] params = array(2);
        set(params[0], longest, LibvirtNative.TYPED_PARAM_ULLONG).value.setType(long.class);
        params[0].value.l = 7;
        set(params[1], "next", LibvirtNative.TYPED_PARAM_ULLONG).value.setType(long.class);
        params[1].value.l = 8;
        write(params);

        TypedParameters read = TypedParameters.read(params[0].getPointer(), 2);

        assertEquals(OptionalLong.of(7), read.longValue(longest));
        assertEquals(OptionalLong.of(8), read.longValue("next"));
    }

    @Test
    void shouldSkipATypeItDoesNotKnowAndReportAbsentNamesAsEmpty() {
        TypedParameters.Layout[] params = array(2);
        set(params[0], "from.the.future", 99).value.setType(long.class);
        set(params[1], "balloon.current", LibvirtNative.TYPED_PARAM_ULLONG).value.setType(long.class);
        params[1].value.l = 131_072;
        write(params);

        TypedParameters read = TypedParameters.read(params[0].getPointer(), 2);

        assertFalse(read.has("from.the.future"));
        assertTrue(read.has("balloon.current"));
        assertEquals(OptionalLong.empty(), read.longValue("balloon.usable"));
        assertNull(read.string("balloon.current"), "a number is no string");
    }

    @Test
    void shouldReadNothingFromANullOrEmptyArray() {
        assertEquals(0, TypedParameters.read(null, 3).size());
        assertEquals(0, TypedParameters.read(new Memory(8), 0).size());
    }

    private static TypedParameters.Layout[] array(int n) {
        return (TypedParameters.Layout[]) new TypedParameters.Layout().toArray(n);
    }

    private static TypedParameters.Layout set(TypedParameters.Layout p, String name, int type) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, p.field, 0, bytes.length);
        p.type = type;
        return p;
    }

    private static void write(TypedParameters.Layout[] params) {
        for (TypedParameters.Layout p : params) {
            p.write();
        }
    }
}

package io.memdrs.collector.libvirt;

import com.sun.jna.Pointer;
import com.sun.jna.PointerType;
import java.lang.reflect.Field;
import org.libvirt.Connect;
import org.libvirt.Domain;

/** The native pointers behind libvirt-java objects, which the binding keeps in non-public fields. */
final class NativeHandles {
    private static final Field CONNECT_POINTER = field(Connect.class, "vcp");
    private static final Field DOMAIN_POINTER = field(Domain.class, "vdp");

    private NativeHandles() {}

    static Pointer of(Connect connect) {
        return pointer(CONNECT_POINTER, connect);
    }

    static Pointer of(Domain domain) {
        return pointer(DOMAIN_POINTER, domain);
    }

    private static Pointer pointer(Field field, Object owner) {
        try {
            return ((PointerType) field.get(owner)).getPointer();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("libvirt-java changed: cannot read " + field, e);
        }
    }

    private static Field field(Class<?> type, String name) {
        try {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError("libvirt-java changed: " + type.getName() + " has no field " + name);
        }
    }
}

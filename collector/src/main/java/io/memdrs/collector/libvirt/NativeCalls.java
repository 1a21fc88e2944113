package io.memdrs.collector.libvirt;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import org.libvirt.Error;
import org.libvirt.jna.Libvirt;
import org.libvirt.jna.virError;

/** Helpers for the libvirt calls made through JNA: libvirt's last error, strings the caller must free. */
final class NativeCalls {
    private NativeCalls() {}

    /** The failure of {@code call}, with libvirt's last error of this thread (libvirt keeps it per thread). */
    static NativeCallException failure(String call) {
        virError last = Libvirt.INSTANCE.virGetLastError();
        return new NativeCallException(call, last == null ? null : new Error(last));
    }

    /** Copies the NUL-terminated UTF-8 string libvirt allocated for the caller, then frees it; null stays null. */
    static String takeString(Pointer p) {
        if (p == null) {
            return null;
        }
        try {
            return p.getString(0, StandardCharsets.UTF_8.name());
        } finally {
            Native.free(Pointer.nativeValue(p));
        }
    }
}

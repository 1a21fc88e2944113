package io.memdrs.collector;

import io.memdrs.version.MemdrsVersion;

/** The collector's version, as its samples and metrics carry it: the release and the source revision. */
public final class CollectorVersion {
    private CollectorVersion() {}

    public static String get() {
        return MemdrsVersion.version() + "+" + MemdrsVersion.revision();
    }
}

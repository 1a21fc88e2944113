package io.memdrs.collector;

/** The collector's version, from the jar manifest when packaged. */
public final class CollectorVersion {
    private CollectorVersion() {}

    public static String get() {
        String version = CollectorVersion.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}

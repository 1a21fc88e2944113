package io.memdrs.version;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The release and the source revision of this build, as every program's {@code --version} prints them. */
public final class MemdrsVersion {
    private static final String RESOURCE = "/io/memdrs/version/memdrs-version.properties";

    private MemdrsVersion() {
    }

    /** The release, e.g. {@code 0.1.0}; "dev" when the build wrote none. */
    public static String version() {
        return value("version");
    }

    /** The source revision (abbreviated commit, "-dirty" with uncommitted changes); "unknown" outside a checkout. */
    public static String revision() {
        String revision = value("revision");
        return revision.equals("unknown") || !value("dirty").equals("true") ? revision : revision + "-dirty";
    }

    /** {@code memdrs <program> <version> (revision <revision>)}. */
    public static String line(String program) {
        return "memdrs " + program + " " + version() + " (revision " + revision() + ")";
    }

    private static String value(String key) {
        Properties p = new Properties();
        try (InputStream in = MemdrsVersion.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String v = p.getProperty(key, "");
        return v.isBlank() || v.startsWith("${") ? (key.equals("version") ? "dev" : key.equals("dirty") ? "" : "unknown")
                : v;
    }
}

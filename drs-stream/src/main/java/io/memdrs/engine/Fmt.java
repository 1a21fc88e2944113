package io.memdrs.engine;

import java.time.Duration;
import java.util.Locale;

/** Number formats of explanations: loads in percent, sizes in GiB, σ with 3 decimals, durations in words. */
final class Fmt {
    private Fmt() {
    }

    static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", fraction * 100.0);
    }

    static String sigma(double value) {
        return Double.isInfinite(value) ? "∞" : String.format(Locale.ROOT, "%.3f", value);
    }

    static String goodness(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    static String gib(long kib) {
        return String.format(Locale.ROOT, "%.1f GiB", kib / 1048576.0);
    }

    /** A benefit per byte: σ drop per GiB copied. */
    static String perGib(double value) {
        return String.format(Locale.ROOT, Math.abs(value) >= 0.001 ? "%.4f σ/GiB" : "%.2e σ/GiB", value);
    }

    static String duration(Duration d) {
        long s = d.getSeconds();
        if (s < 120) {
            return s + " s";
        }
        if (s < 2 * 3600) {
            return (s / 60) + " min";
        }
        if (s < 2 * 86400) {
            return (s / 3600) + " h";
        }
        return (s / 86400) + " d";
    }
}

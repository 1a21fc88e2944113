package io.memdrs.schemas.bench;

import java.util.Arrays;

/** Median, min and max of repeated measurements. */
public record Stats(double median, double min, double max) {
    public static Stats of(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Stats(median, sorted[0], sorted[n - 1]);
    }

    public String format(String unit) {
        return String.format("%,.0f %s (%,.0f-%,.0f)", median, unit, min, max);
    }
}

package io.memdrs.engine.migrations;

import java.util.Locale;

/**
 * What a live migration is predicted to cost.
 *
 * @param bytes bytes it will send (the VM's size times the copy overhead measured on earlier migrations)
 * @param durationMillis how long it will take (those bytes at the effective bandwidth measured earlier)
 * @param basedOn how many earlier migrations the figures come from; 0 when they are the configured assumption
 * @param basis where the figures come from, e.g. "3 earlier migrations h01→h03"
 */
public record CostPrediction(long bytes, long durationMillis, int basedOn, String basis) {

    /** E.g. "predicted 41 s, from 3 earlier migrations h01→h03". */
    public String describe() {
        return "predicted " + seconds(durationMillis) + ", " + basis;
    }

    static String seconds(long millis) {
        if (millis < 10_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long s = Math.round(millis / 1000.0);
        return s < 120 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
    }
}

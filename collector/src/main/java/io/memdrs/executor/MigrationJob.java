package io.memdrs.executor;

import io.memdrs.avro.MigrationRecommendation;

/** One recommendation that passed its checks, on its way to libvirt, with what it is expected to cost. */
public record MigrationJob(MigrationRecommendation recommendation, CostPrediction predicted) {
    public String describe() {
        MigrationRecommendation r = recommendation;
        return r.getVmName() + " (" + r.getVmUuid() + ") " + r.getSourceHost() + " -> " + r.getTargetHost()
                + " [" + r.getId() + "]";
    }
}

package io.memdrs.collector.host;

import io.memdrs.avro.HostMemorySample;
import java.time.Duration;
import java.time.Instant;

/** Turns a {@link HostSnapshot} into the {@link HostMemorySample} contract. Pure. */
public final class HostSampleMapper {
    private final String cluster;
    private final String host;
    private final long reservedKiB;
    private final int pollIntervalSeconds;
    private final String collectorVersion;

    public HostSampleMapper(String cluster, String host, long reservedKiB, Duration pollInterval, String collectorVersion) {
        this.cluster = cluster;
        this.host = host;
        this.reservedKiB = reservedKiB;
        this.pollIntervalSeconds = (int) Math.max(1, pollInterval.toSeconds());
        this.collectorVersion = collectorVersion;
    }

    public HostMemorySample map(HostSnapshot snapshot, Instant now) {
        return HostMemorySample.newBuilder()
                .setCluster(cluster)
                .setHost(host)
                .setSampleTimeMillis(now.toEpochMilli())
                .setMemoryKiB(snapshot.memoryKiB())
                .setFreeKiB(snapshot.freeKiB())
                .setCachedKiB(snapshot.cachedKiB())
                .setBuffersKiB(snapshot.buffersKiB())
                .setReservedKiB(reservedKiB)
                .setCpus(snapshot.cpus())
                .setRunningVms(snapshot.runningVms())
                .setPollIntervalSeconds(pollIntervalSeconds)
                .setCollectorVersion(collectorVersion)
                .build();
    }
}

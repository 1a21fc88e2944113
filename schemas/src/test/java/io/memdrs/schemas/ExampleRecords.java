package io.memdrs.schemas;

import io.memdrs.avro.BalanceReport;
import io.memdrs.avro.Confidence;
import io.memdrs.avro.ControlEvent;
import io.memdrs.avro.ControlType;
import io.memdrs.avro.DomainState;
import io.memdrs.avro.HostLoad;
import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.HostState;
import io.memdrs.avro.MigrationEvent;
import io.memdrs.avro.MigrationJobStats;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.avro.MigrationStatus;
import io.memdrs.avro.MoveReason;
import io.memdrs.avro.RejectedAlternative;
import io.memdrs.avro.RoundOutcome;
import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.TriggerEvidence;
import io.memdrs.avro.UsageSource;
import io.memdrs.avro.VmMemorySample;
import java.util.List;

/** One fully populated record of each contract type. */
final class ExampleRecords {
    private ExampleRecords() {}

    static VmMemorySample vmSample() {
        return VmMemorySample.newBuilder()
                .setCluster("c1").setHost("h1")
                .setVmUuid("6695eb01-f6a4-8304-79aa-97f2502e193f").setVmName("test")
                .setSampleTimeMillis(1_764_000_000_000L)
                .setDomainState(DomainState.RUNNING)
                .setSwapInKiB(0L).setSwapOutKiB(0L).setMajorFaults(12L).setMinorFaults(3400L)
                .setUnusedKiB(1_048_576L).setAvailableKiB(4_194_304L).setActualKiB(4_194_304L).setRssKiB(3_000_000L)
                .setUsableKiB(2_097_152L).setLastUpdateEpochSeconds(1_763_999_995L).setDiskCachesKiB(524_288L)
                .setHugetlbPgalloc(0L).setHugetlbPgfail(0L)
                .setBalloonModel("virtio").setStatsPeriodSeconds(10)
                .setMaxMemoryKiB(8_388_608L).setCurrentMemoryKiB(4_194_304L)
                .setUsageKiB(2_097_152L).setUsageSource(UsageSource.USABLE)
                .setHealth(StatsHealth.OK).setHint("balloon statistics are fresh")
                .build();
    }

    static HostMemorySample hostSample() {
        return HostMemorySample.newBuilder()
                .setCluster("c1").setHost("h1").setSampleTimeMillis(1_764_000_000_000L)
                .setMemoryKiB(268_435_456L).setFreeKiB(100_000_000L).setCachedKiB(2_000_000L).setBuffersKiB(100_000L)
                .setReservedKiB(8_388_608L).setCpus(64).setRunningVms(30).setPollIntervalSeconds(10)
                .setCollectorVersion("0.1.0")
                .build();
    }

    static HostLoad hostLoad() {
        return HostLoad.newBuilder()
                .setCluster("c1").setHost("h1").setComputedAtMillis(1_764_000_000_000L)
                .setMemoryKiB(268_435_456L).setReservedKiB(8_388_608L).setCapacityKiB(260_046_848L)
                .setDemandKiB(130_023_424L).setLoad(0.5).setVmCount(30)
                .setVmsWithTrustedStats(28).setVmsWithUntrustedStats(2)
                .setState(HostState.ACTIVE).setLastSampleMillis(1_764_000_000_000L)
                .build();
    }

    static MigrationRecommendation recommendation() {
        return MigrationRecommendation.newBuilder()
                .setId("c1:7:1").setCluster("c1").setRound(7).setSequence(1)
                .setCreatedAtMillis(1_764_000_000_000L).setExpiresAtMillis(1_764_000_300_000L)
                .setVmUuid("6695eb01-f6a4-8304-79aa-97f2502e193f").setVmName("web-1")
                .setSourceHost("h1").setTargetHost("h2").setPriority(3).setReason(MoveReason.BALANCE)
                .setDemandKiB(4_194_304L).setSizeKiB(8_388_608L).setConfidence(Confidence.HIGH)
                .setSourceLoadBefore(0.9).setSourceLoadAfter(0.8).setTargetLoadBefore(0.3).setTargetLoadAfter(0.4)
                .setImbalanceBefore(0.3).setImbalanceAfter(0.2)
                .setTrigger(TriggerEvidence.newBuilder().setMetric("imbalance").setValue(0.3).setThreshold(0.1)
                        .setSustainedSeconds(300).build())
                .setRejectedAlternatives(List.of(RejectedAlternative.newBuilder().setVmUuid("other")
                        .setTargetHost("h3").setReason("h3 would exceed the high watermark").build()))
                .setExplanation("h1 at 90 % vs cluster mean 60 %: web-1 to h2 lowers imbalance 0.30 -> 0.20")
                .setPolicyVersion("level-3/v1")
                .build();
    }

    static BalanceReport balanceReport() {
        return BalanceReport.newBuilder()
                .setCluster("c1").setRound(7).setCreatedAtMillis(1_764_000_000_000L)
                .setOutcome(RoundOutcome.MOVES_RECOMMENDED).setImbalanceBefore(0.3).setImbalanceAfter(0.2)
                .setTargetImbalance(0.1).setMigrationThreshold(3).setHostCount(2).setVmCount(10)
                .setRecommendationIds(List.of("c1:7:1")).setSummary("1 move recommended")
                .setNotes(List.of("h3 unknown: no sample for 45 s")).setPolicyVersion("level-3/v1")
                .build();
    }

    static ControlEvent controlEvent() {
        return ControlEvent.newBuilder()
                .setCluster("c1").setRuleId("maintenance/h1").setType(ControlType.HOST_MAINTENANCE)
                .setActive(true).setHosts(List.of("h1")).setVms(List.of()).setMust(true)
                .setReason("firmware update").setCreatedAtMillis(1_764_000_000_000L)
                .build();
    }

    static MigrationEvent migrationEvent() {
        return MigrationEvent.newBuilder()
                .setRecommendationId("c1:7:1").setCluster("c1").setVmUuid("6695eb01-f6a4-8304-79aa-97f2502e193f")
                .setVmName("web-1").setSourceHost("h1").setTargetHost("h2").setStatus(MigrationStatus.SUCCEEDED)
                .setAtMillis(1_764_000_045_000L).setStartedAtMillis(1_764_000_003_000L)
                .setPredictedBytes(8_589_934_592L).setPredictedDurationMillis(8_192L).setBandwidthMiBps(1000L)
                .setJob(MigrationJobStats.newBuilder().setTimeElapsedMillis(41_900L).setDowntimeMillis(37L)
                        .setDataTransferredBytes(9_100_000_000L).setMemoryTotalBytes(8_589_934_592L)
                        .setMemoryTransferredBytes(9_000_000_000L).setMemoryIterations(3L)
                        .setDirtyRateBytesPerSecond(8_192_000L).build())
                .setExecutor("memdrs-executor@ctl1")
                .build();
    }
}

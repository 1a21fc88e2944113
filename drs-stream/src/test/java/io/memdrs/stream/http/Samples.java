package io.memdrs.stream.http;

import io.memdrs.avro.ControlEvent;
import io.memdrs.avro.ControlType;
import io.memdrs.avro.DomainState;
import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.MigrationEvent;
import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.UsageSource;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.topics.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes samples and control events as collectors and operators do: Avro single-object, keyed by cluster. */
final class Samples implements AutoCloseable {
    static final long GIB = 1024L * 1024;
    /** Hosts report a long poll period so that nothing goes stale while the tests run. */
    static final int POLL_SECONDS = 300;
    static final String FROZEN_HINT = "set <stats period='10'/> or run: memdrs-collector enable-stats";
    static final String NO_BALLOON_HINT = "add <memballoon model='virtio'><stats period='10'/></memballoon> to the domain";

    private final AvroSerde<VmMemorySample> vmSerde = AvroSerde.of(VmMemorySample.class);
    private final AvroSerde<HostMemorySample> hostSerde = AvroSerde.of(HostMemorySample.class);
    private final AvroSerde<ControlEvent> controlSerde = AvroSerde.of(ControlEvent.class);
    private final AvroSerde<MigrationEvent> migrationSerde = AvroSerde.of(MigrationEvent.class);
    private final KafkaProducer<String, byte[]> producer;

    Samples(String bootstrap) {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    void host(String cluster, String host, long memoryGiB, long reservedGiB, long sampleMillis) {
        send(Topics.HOST_SAMPLES, cluster, hostSerde.encode(HostMemorySample.newBuilder()
                .setCluster(cluster).setHost(host).setSampleTimeMillis(sampleMillis)
                .setMemoryKiB(memoryGiB * GIB).setFreeKiB(memoryGiB * GIB / 2).setReservedKiB(reservedGiB * GIB)
                .setCpus(32).setRunningVms(0).setPollIntervalSeconds(POLL_SECONDS).setCollectorVersion("test")
                .build()));
    }

    /** A VM with usable statistics using {@code usageGiB} of its 16 GiB. */
    void vm(String cluster, String host, String uuid, long usageGiB, long sampleMillis) {
        long usage = usageGiB * GIB;
        send(Topics.VM_SAMPLES, cluster, vmSerde.encode(base(cluster, host, uuid, sampleMillis, 16)
                .setAvailableKiB(16 * GIB).setUsableKiB(16 * GIB - usage).setUnusedKiB(16 * GIB - usage)
                .setActualKiB(16 * GIB).setRssKiB(usage).setLastUpdateEpochSeconds(sampleMillis / 1000)
                .setBalloonModel("virtio").setStatsPeriodSeconds(10)
                .setUsageKiB(usage).setUsageSource(UsageSource.USABLE).setHealth(StatsHealth.OK).setHint("")
                .build()));
    }

    /** A VM whose statistics cannot be used: counted at its allocation of {@code sizeGiB}. */
    void unusableVm(String cluster, String host, String uuid, long sizeGiB, StatsHealth health, String hint,
                    long sampleMillis) {
        send(Topics.VM_SAMPLES, cluster, vmSerde.encode(base(cluster, host, uuid, sampleMillis, sizeGiB)
                .setActualKiB(sizeGiB * GIB).setRssKiB(sizeGiB * GIB / 2)
                .setBalloonModel(health == StatsHealth.NO_BALLOON ? null : "virtio")
                .setUsageKiB(sizeGiB * GIB).setUsageSource(UsageSource.ALLOCATED).setHealth(health).setHint(hint)
                .build()));
    }

    void antiAffinity(String cluster, String ruleId, String... vms) {
        send(Topics.CONTROL, cluster, controlSerde.encode(ControlEvent.newBuilder().setCluster(cluster)
                .setRuleId(ruleId).setType(ControlType.ANTI_AFFINITY).setActive(true).setHosts(List.of())
                .setVms(List.of(vms)).setMust(true).setCreatedAtMillis(System.currentTimeMillis()).build()));
    }

    /** A migration event, as the migration service publishes it. */
    void migration(MigrationEvent event) {
        send(Topics.MIGRATION_EVENTS, event.getCluster(), migrationSerde.encode(event));
    }

    void garbage(String cluster) {
        send(Topics.VM_SAMPLES, cluster, "not an avro record".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Sends and waits for the broker's acknowledgement; returns the partition the record went to. */
    int send(String topic, String key, byte[] value) {
        try {
            return producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS).partition();
        } catch (Exception e) {
            throw new IllegalStateException("cannot send to " + topic, e);
        }
    }

    private static VmMemorySample.Builder base(String cluster, String host, String uuid, long sampleMillis, long sizeGiB) {
        return VmMemorySample.newBuilder().setCluster(cluster).setHost(host).setVmUuid(uuid).setVmName("vm-" + uuid)
                .setSampleTimeMillis(sampleMillis).setDomainState(DomainState.RUNNING)
                .setMaxMemoryKiB(sizeGiB * GIB).setCurrentMemoryKiB(sizeGiB * GIB);
    }

    @Override
    public void close() {
        producer.close();
    }
}

package io.memdrs.e2e.bench;

import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The consumer a user would write instead of the stream app, the fair baseline of the pipeline benchmark: one
 * consumer in a group, reading both sample topics (read_committed), decoding every sample with the same Avro
 * schema, keeping each VM's latest demand and host and each host's capacity and demand sum in HashMaps, and
 * committing offsets every 100 ms (at-least-once: no transactions, no changelog, no fault tolerance of its state).
 */
final class DecodeAggregateConsumer {
    private static final long COMMIT_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final AvroSerde<VmMemorySample> vmSerde = AvroSerde.of(VmMemorySample.class);
    private final AvroSerde<HostMemorySample> hostSerde = AvroSerde.of(HostMemorySample.class);
    private final Map<String, Vm> vms = new HashMap<>();
    private final Map<String, Host> hosts = new HashMap<>();

    private static final class Vm {
        String host;
        long demandKiB;
    }

    private static final class Host {
        long memoryKiB;
        long demandKiB;
        int vms;
    }

    /** Seconds from the first record to {@code expected} records aggregated and their offsets committed. */
    static double seconds(String bootstrap, long expected) {
        return new DecodeAggregateConsumer().run(bootstrap, expected);
    }

    private double run(String bootstrap, long expected) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "decode-aggregate-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.VM_SAMPLES, Topics.HOST_SAMPLES));
            long seen = 0;
            long began = 0;
            long lastCommit = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (seen < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("decode-and-aggregate consumer read " + seen + " of " + expected
                            + " in 5 minutes");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (began == 0) {
                        began = System.nanoTime();
                        lastCommit = began;
                    }
                    if (r.topic().equals(Topics.VM_SAMPLES)) {
                        onVm(vmSerde.decode(r.value()));
                    } else {
                        onHost(hostSerde.decode(r.value()));
                    }
                    seen++;
                }
                if (began != 0 && System.nanoTime() - lastCommit >= COMMIT_EVERY_NANOS) {
                    consumer.commitAsync();
                    lastCommit = System.nanoTime();
                }
            }
            consumer.commitSync();
            if (vms.isEmpty() || hosts.isEmpty()) {
                throw new IllegalStateException("decode-and-aggregate consumer aggregated nothing");
            }
            return (System.nanoTime() - began) / 1e9;
        }
    }

    private void onVm(VmMemorySample s) {
        String key = s.getCluster() + '\u0000' + s.getVmUuid();
        Vm vm = vms.get(key);
        if (vm == null) {
            vm = new Vm();
            vms.put(key, vm);
        } else {
            Host old = host(s.getCluster(), vm.host);
            old.demandKiB -= vm.demandKiB;
            old.vms--;
        }
        vm.host = s.getHost();
        vm.demandKiB = s.getUsageKiB();
        Host now = host(s.getCluster(), vm.host);
        now.demandKiB += vm.demandKiB;
        now.vms++;
    }

    private void onHost(HostMemorySample s) {
        host(s.getCluster(), s.getHost()).memoryKiB = s.getMemoryKiB();
    }

    private Host host(String cluster, String name) {
        return hosts.computeIfAbsent(cluster + '\u0000' + name, k -> new Host());
    }
}

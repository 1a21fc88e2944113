package io.memdrs.e2e.reliability;

import io.memdrs.avro.ControlEvent;
import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.topics.Topics;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The bad input of the poison test, built byte by byte as an independent client would send it: what the bytes are,
 * which input topic they go to, and which failure code the stream app must give them in the dead letters. Records
 * that decode carry values that would move VMs if they were believed (an overloaded host, a host that seems empty,
 * a maintenance instruction); the good cluster's hosts and VMs are named so that the harm would be visible.
 */
final class PoisonRecords {
    /**
     * One bad record. A null value is a tombstone. Keyed by the cluster unless {@code keyedByCluster} is false; then
     * by {@code otherKey} (null: no key).
     */
    record Poison(String topic, String what, byte[] value, String expectedFailure, boolean keyedByCluster,
                  String otherKey) {
        Poison(String topic, String what, byte[] value, String expectedFailure) {
            this(topic, what, value, expectedFailure, true, null);
        }

        /** The key it is sent with. */
        String key(String cluster) {
            return keyedByCluster ? cluster : otherKey;
        }
    }

    static final long YEAR_MILLIS = 365L * 24 * 3600 * 1000;
    static final long TOO_MUCH_KIB = (1L << 50) + 1;

    private static final AvroSerde<VmMemorySample> VM = AvroSerde.of(VmMemorySample.class);
    private static final AvroSerde<HostMemorySample> HOST = AvroSerde.of(HostMemorySample.class);
    private static final AvroSerde<ControlEvent> CONTROL = AvroSerde.of(ControlEvent.class);

    private PoisonRecords() {}

    /** Every bad record for every input topic; {@code cluster} has hosts h1, h2 and VM {@code knownVm} on h1. */
    static List<Poison> all(String cluster, String knownVm, long now, Random random) {
        List<Poison> all = new ArrayList<>();
        byte[] vm = VM.encode(Samples.vm(cluster, "h1", knownVm, 8 * Samples.GIB, now));
        byte[] host = HOST.encode(Samples.host(cluster, "h2", 64 * Samples.GIB, 1, now));
        byte[] control = CONTROL.encode(Samples.maintenance(cluster, "maintenance/h1", "h1", now));

        all.addAll(unreadable(Topics.VM_SAMPLES, vm, host, random));
        all.add(new Poison(Topics.VM_SAMPLES, "negative memory", VM.encode(withVm(cluster, knownVm, now,
                s -> s.setCurrentMemoryKiB(-1))), "INVALID_VALUE"));
        all.add(new Poison(Topics.VM_SAMPLES, "usage above 2^50 KiB on h1", VM.encode(withVm(cluster, "vm-huge", now,
                s -> s.setUsageKiB(TOO_MUCH_KIB))), "INVALID_VALUE"));
        all.add(new Poison(Topics.VM_SAMPLES, "sample time a year ahead", VM.encode(withVm(cluster, knownVm,
                now + YEAR_MILLIS, s -> { })), "INVALID_VALUE"));
        all.add(new Poison(Topics.VM_SAMPLES, "null value (tombstone)", null, "NULL_VALUE"));

        all.addAll(unreadable(Topics.HOST_SAMPLES, host, vm, random));
        all.add(new Poison(Topics.HOST_SAMPLES, "negative memory on h2", HOST.encode(
                Samples.host(cluster, "h2", -1, 1, now)), "INVALID_VALUE"));
        all.add(new Poison(Topics.HOST_SAMPLES, "memory above 2^50 KiB on h2 (h2 would look empty)", HOST.encode(
                Samples.host(cluster, "h2", TOO_MUCH_KIB, 1, now)), "INVALID_VALUE"));
        all.add(new Poison(Topics.HOST_SAMPLES, "sample time a year ahead", HOST.encode(
                Samples.host(cluster, "h1", 64 * Samples.GIB, 1, now + YEAR_MILLIS)), "INVALID_VALUE"));
        all.add(new Poison(Topics.HOST_SAMPLES, "null value (tombstone)", null, "NULL_VALUE"));

        all.addAll(unreadable(Topics.CONTROL, control, vm, random));
        ControlEvent noId = Samples.maintenance(cluster, "", "h1", now);
        all.add(new Poison(Topics.CONTROL, "maintenance of h1 without a rule id", CONTROL.encode(noId), "INVALID_VALUE"));
        ControlEvent future = Samples.maintenance(cluster, "maintenance/h1-future", "h1", now + YEAR_MILLIS);
        all.add(new Poison(Topics.CONTROL, "maintenance of h1 created a year ahead", CONTROL.encode(future),
                "INVALID_VALUE"));
        ControlEvent noHost = Samples.maintenance(cluster, "maintenance/nothing", "h1", now);
        noHost.setHosts(List.of());
        all.add(new Poison(Topics.CONTROL, "maintenance naming no host", CONTROL.encode(noHost), "INVALID_VALUE"));
        ControlEvent noCluster = Samples.maintenance("", "maintenance/h1", "h1", now);
        all.add(new Poison(Topics.CONTROL, "maintenance for an empty cluster id", CONTROL.encode(noCluster),
                "INVALID_VALUE"));

        // Well-formed records under the wrong key: they may land in another partition, where a second, partial
        // model of the cluster would start.
        all.add(new Poison(Topics.VM_SAMPLES, "VM sample of h1 keyed by its VM uuid", VM.encode(withVm(cluster,
                knownVm, now + 1_000, s -> s.setUsageKiB(60 * Samples.GIB))), "KEY_MISMATCH", false, knownVm));
        all.add(new Poison(Topics.HOST_SAMPLES, "host sample of h2 without a key", HOST.encode(
                Samples.host(cluster, "h2", 8 * Samples.GIB, 1, now + 1_000)), "KEY_MISMATCH", false, null));
        all.add(new Poison(Topics.CONTROL, "maintenance of h1 keyed by another cluster", CONTROL.encode(
                Samples.maintenance(cluster, "maintenance/h1-misplaced", "h1", now)), "KEY_MISMATCH", false,
                "another-cluster"));
        return all;
    }

    /** Bytes no memdrs reader can use: {@code valid} is a good record of the topic, {@code other} one of another. */
    private static List<Poison> unreadable(String topic, byte[] valid, byte[] other, Random random) {
        byte[] noise = new byte[64];
        random.nextBytes(noise);
        noise[0] = 0x42; // never the single-object marker C3 01
        byte[] truncated = Arrays.copyOf(valid, 10 + (valid.length - 10) / 2);
        byte[] unknown = valid.clone();
        ByteBuffer.wrap(unknown, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(random.nextLong());
        return List.of(
                new Poison(topic, "random bytes", noise, "BAD_MAGIC"),
                new Poison(topic, "empty value", new byte[0], "TRUNCATED_HEADER"),
                new Poison(topic, "valid header, body cut in half", truncated, "TRUNCATED_BODY"),
                new Poison(topic, "unknown schema fingerprint", unknown, "UNKNOWN_FINGERPRINT"),
                new Poison(topic, "a record of another type", other, "WRONG_RECORD_TYPE"));
    }

    private static VmMemorySample withVm(String cluster, String uuid, long time,
                                         java.util.function.Consumer<VmMemorySample> change) {
        VmMemorySample sample = Samples.vm(cluster, "h1", uuid, 8 * Samples.GIB, time);
        change.accept(sample);
        return sample;
    }
}

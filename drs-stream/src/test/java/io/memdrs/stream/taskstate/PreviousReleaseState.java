package io.memdrs.stream.taskstate;

import io.memdrs.stream.state.HostState;
import io.memdrs.stream.state.VmState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;

/**
 * State values as the release before the compact format wrote them: Avro single objects of the state schemas of
 * that release (the vm-state schema without {@code samples}, kept under {@code taskstate/history/}), encoded with
 * Avro's own single-object encoder, byte for byte what that release's serde produced.
 */
final class PreviousReleaseState {
    private static final Schema VM_0_1 = parse("history/VmState-0.1.avsc");

    private PreviousReleaseState() {}

    static byte[] vm(String cluster, String uuid, String host, long demandKiB, long sampleMillis) {
        GenericRecord r = new GenericData.Record(VM_0_1);
        r.put("cluster", cluster);
        r.put("vmUuid", uuid);
        r.put("vmName", "name-" + uuid);
        r.put("host", host);
        r.put("lastSampleMillis", sampleMillis);
        r.put("usageKiB", demandKiB);
        r.put("smoothedKiB", (double) demandKiB);
        r.put("peakKiB", demandKiB);
        r.put("peakAtMillis", sampleMillis);
        r.put("sizeKiB", 2 * demandKiB);
        r.put("boundKiB", 2 * demandKiB);
        r.put("trusted", true);
        r.put("health", "OK");
        r.put("hint", "last_update 3 s ago (period 10 s)");
        r.put("demandKiB", demandKiB);
        r.put("leftHost", null);
        r.put("lastMoveMillis", 0L);
        r.put("pendingUntilMillis", 0L);
        r.put("pendingTarget", null);
        r.put("earlierLeftHosts", Map.of("old-host", sampleMillis - 1000));
        return encode(VM_0_1, r);
    }

    /** The host-state schema did not change; its values were Avro single objects too. */
    static byte[] host(String cluster, String host, long memoryKiB, long demandKiB, int vms, long sampleMillis) {
        HostState h = HostState.newBuilder().setCluster(cluster).setHost(host).setMemoryKiB(memoryKiB)
                .setReservedKiB(0).setPollIntervalSeconds(10).setLastSampleMillis(sampleMillis).setDemandKiB(demandKiB)
                .setVmCount(vms).setTrustedVms(vms).setAboveSinceMillis(0).build();
        return encode(HostState.getClassSchema(), h);
    }

    static Schema vmSchema() {
        return VM_0_1;
    }

    static VmState current(byte[] bytes) {
        return new VmStateCodec().decode(bytes);
    }

    private static byte[] encode(Schema schema, Object record) {
        try {
            ByteBuffer buffer = new BinaryMessageEncoder<>(GenericData.get(), schema).encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Schema parse(String resource) {
        try (InputStream in = StateSchemas.class.getResourceAsStream(resource)) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

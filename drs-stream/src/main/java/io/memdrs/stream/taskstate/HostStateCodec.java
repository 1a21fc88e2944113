package io.memdrs.stream.taskstate;

import io.memdrs.schemas.AvroSerde;
import io.memdrs.stream.state.HostState;

/**
 * The host-state store's values. Writes the compact format, version 1 (kind 2): cluster, host, memory, reserved,
 * poll interval, last sample time, demand, VM count, trusted VMs, above-threshold since. Reads that and the Avro
 * single objects the releases before it wrote.
 */
public final class HostStateCodec implements StateCodec<HostState> {
    static final byte KIND = 2;
    static final int VERSION = 1;
    private static final ThreadLocal<CompactWriter> WRITER = ThreadLocal.withInitial(CompactWriter::new);

    private final AvroSerde<HostState> legacy = AvroSerde.of(HostState.class, StateSchemas.catalog());

    @Override
    public byte[] encode(HostState h) {
        return WRITER.get().start(KIND, (byte) VERSION).writeString(h.getCluster()).writeString(h.getHost())
                .writeLong(h.getMemoryKiB()).writeLong(h.getReservedKiB()).writeLong(h.getPollIntervalSeconds())
                .writeLong(h.getLastSampleMillis()).writeLong(h.getDemandKiB()).writeLong(h.getVmCount())
                .writeLong(h.getTrustedVms()).writeLong(h.getAboveSinceMillis()).toBytes();
    }

    @Override
    public HostState decode(byte[] bytes) {
        if (!CompactReader.isCompact(bytes)) {
            return legacy.decode(bytes);
        }
        CompactReader r = CompactReader.open(bytes, KIND, VERSION, "host-state");
        HostState h = new HostState();
        h.setCluster(r.readString());
        h.setHost(r.readString());
        h.setMemoryKiB(r.readLong());
        h.setReservedKiB(r.readLong());
        h.setPollIntervalSeconds(r.readInt());
        h.setLastSampleMillis(r.readLong());
        h.setDemandKiB(r.readLong());
        h.setVmCount(r.readInt());
        h.setTrustedVms(r.readInt());
        h.setAboveSinceMillis(r.readLong());
        r.end();
        return h;
    }

    @Override
    public HostState copy(HostState value) {
        return HostState.newBuilder(value).build();
    }
}

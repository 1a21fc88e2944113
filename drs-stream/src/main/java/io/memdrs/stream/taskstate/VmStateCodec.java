package io.memdrs.stream.taskstate;

import io.memdrs.schemas.AvroSerde;
import io.memdrs.stream.state.VmState;

/**
 * The vm-state store's values. Writes the compact format, version 2 (kind 1): cluster, VM uuid, name, host, last
 * sample time, usage, smoothed usage, peak, peak time, size, bound, trusted, health, hint, demand, left host, last
 * move, pending until, pending target, earlier left hosts, samples, dirty rate. Reads that, version 1 (the same
 * without the dirty rate, read as -1: not measured) and the Avro single objects the releases before it wrote (any
 * schema version in {@link StateSchemas}).
 */
public final class VmStateCodec implements StateCodec<VmState> {
    static final byte KIND = 1;
    static final int VERSION = 2;
    private static final ThreadLocal<CompactWriter> WRITER = ThreadLocal.withInitial(CompactWriter::new);

    private final AvroSerde<VmState> legacy = AvroSerde.of(VmState.class, StateSchemas.catalog());

    @Override
    public byte[] encode(VmState v) {
        CompactWriter w = WRITER.get().start(KIND, (byte) VERSION);
        w.writeString(v.getCluster()).writeString(v.getVmUuid()).writeString(v.getVmName()).writeString(v.getHost())
                .writeLong(v.getLastSampleMillis()).writeLong(v.getUsageKiB()).writeDouble(v.getSmoothedKiB())
                .writeLong(v.getPeakKiB()).writeLong(v.getPeakAtMillis()).writeLong(v.getSizeKiB())
                .writeLong(v.getBoundKiB()).writeBoolean(v.getTrusted()).writeString(v.getHealth())
                .writeString(v.getHint()).writeLong(v.getDemandKiB()).writeNullableString(v.getLeftHost())
                .writeLong(v.getLastMoveMillis()).writeLong(v.getPendingUntilMillis())
                .writeNullableString(v.getPendingTarget()).writeLongMap(v.getEarlierLeftHosts())
                .writeLong(v.getSamples()).writeLong(v.getDirtyBytesPerSecond());
        return w.toBytes();
    }

    @Override
    public VmState decode(byte[] bytes) {
        if (!CompactReader.isCompact(bytes)) {
            return legacy.decode(bytes);
        }
        CompactReader r = CompactReader.open(bytes, KIND, VERSION, "vm-state");
        VmState v = new VmState();
        v.setCluster(r.readString());
        v.setVmUuid(r.readString());
        v.setVmName(r.readString());
        v.setHost(r.readString());
        v.setLastSampleMillis(r.readLong());
        v.setUsageKiB(r.readLong());
        v.setSmoothedKiB(r.readDouble());
        v.setPeakKiB(r.readLong());
        v.setPeakAtMillis(r.readLong());
        v.setSizeKiB(r.readLong());
        v.setBoundKiB(r.readLong());
        v.setTrusted(r.readBoolean());
        v.setHealth(r.readString());
        v.setHint(r.readString());
        v.setDemandKiB(r.readLong());
        v.setLeftHost(r.readNullableString());
        v.setLastMoveMillis(r.readLong());
        v.setPendingUntilMillis(r.readLong());
        v.setPendingTarget(r.readNullableString());
        v.setEarlierLeftHosts(r.readLongMap());
        v.setSamples(r.readLong());
        v.setDirtyBytesPerSecond(r.version() >= 2 ? r.readLong() : -1);
        r.end();
        return v;
    }

    @Override
    public VmState copy(VmState value) {
        return VmState.newBuilder(value).build();
    }
}

package io.memdrs.stream.taskstate;

import io.memdrs.schemas.AvroSerde;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * State kept as Avro single objects, for state written rarely (the cluster state: once per round), where the
 * resolving reader's cost does not matter and the plan's nested records are best left to Avro.
 */
public final class AvroStateCodec<V extends SpecificRecord> implements StateCodec<V> {
    private final AvroSerde<V> serde;

    public AvroStateCodec(Class<V> type) {
        this.serde = AvroSerde.of(type, StateSchemas.catalog());
    }

    @Override
    public byte[] encode(V value) {
        return serde.encode(value);
    }

    @Override
    public V decode(byte[] bytes) {
        return serde.decode(bytes);
    }

    @Override
    public V copy(V value) {
        return SpecificData.get().deepCopy(value.getSchema(), value);
    }
}

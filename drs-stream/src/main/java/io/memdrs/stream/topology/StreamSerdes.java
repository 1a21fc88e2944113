package io.memdrs.stream.topology;

import io.memdrs.avro.BalanceReport;
import io.memdrs.avro.ControlEvent;
import io.memdrs.avro.HostLoad;
import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.schemas.AvroSerde;

/** The serdes the topology uses, one per record type; built once and passed to {@link DrsTopology#build}. */
public record StreamSerdes(AvroSerde<VmMemorySample> vmSample, AvroSerde<HostMemorySample> hostSample,
                           AvroSerde<HostLoad> hostLoad, AvroSerde<MigrationRecommendation> recommendation,
                           AvroSerde<BalanceReport> balanceReport, AvroSerde<ControlEvent> control) {

    /** The standard serdes: single-object Avro, reading every schema version shipped with this build. */
    public static StreamSerdes standard() {
        return new StreamSerdes(AvroSerde.of(VmMemorySample.class), AvroSerde.of(HostMemorySample.class),
                AvroSerde.of(HostLoad.class), AvroSerde.of(MigrationRecommendation.class),
                AvroSerde.of(BalanceReport.class), AvroSerde.of(ControlEvent.class));
    }
}

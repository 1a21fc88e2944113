package io.memdrs.stream.topology;

import io.memdrs.avro.BalanceReport;
import io.memdrs.avro.ControlEvent;
import io.memdrs.avro.HostLoad;
import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.schemas.SchemaCatalog;
import io.memdrs.stream.state.ClusterState;
import io.memdrs.stream.state.HostState;
import io.memdrs.stream.state.VmState;

/** The serdes the topology uses, one per record type; built once and passed to {@link DrsTopology#build}. */
public record StreamSerdes(AvroSerde<VmMemorySample> vmSample, AvroSerde<HostMemorySample> hostSample,
                           AvroSerde<HostLoad> hostLoad, AvroSerde<MigrationRecommendation> recommendation,
                           AvroSerde<BalanceReport> balanceReport, AvroSerde<ControlEvent> control,
                           AvroSerde<VmState> vmState, AvroSerde<HostState> hostState,
                           AvroSerde<ClusterState> clusterState) {

    /** The standard serdes: single-object Avro, reading every schema version shipped with this build. */
    public static StreamSerdes standard() {
        SchemaCatalog internal = SchemaCatalog.builder().add(VmState.getClassSchema()).add(HostState.getClassSchema())
                .add(ClusterState.getClassSchema()).build();
        return new StreamSerdes(AvroSerde.of(VmMemorySample.class), AvroSerde.of(HostMemorySample.class),
                AvroSerde.of(HostLoad.class), AvroSerde.of(MigrationRecommendation.class),
                AvroSerde.of(BalanceReport.class), AvroSerde.of(ControlEvent.class),
                AvroSerde.of(VmState.class, internal), AvroSerde.of(HostState.class, internal),
                AvroSerde.of(ClusterState.class, internal));
    }
}

package io.memdrs.stream.topology;

import io.memdrs.avro.BalanceReport;
import io.memdrs.avro.ControlEvent;
import io.memdrs.avro.HostLoad;
import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.MigrationEvent;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.stream.state.ClusterState;
import io.memdrs.stream.state.HostState;
import io.memdrs.stream.state.VmState;
import io.memdrs.stream.taskstate.AvroStateCodec;
import io.memdrs.stream.taskstate.HostStateCodec;
import io.memdrs.stream.taskstate.StateCodec;
import io.memdrs.stream.taskstate.VmStateCodec;

/**
 * The serdes the topology uses, one per record type; built once and passed to {@link DrsTopology#build}. Records on
 * memdrs topics are Avro single objects; the task state has its own codecs ({@code io.memdrs.stream.taskstate}).
 */
public record StreamSerdes(AvroSerde<VmMemorySample> vmSample, AvroSerde<HostMemorySample> hostSample,
                           AvroSerde<HostLoad> hostLoad, AvroSerde<MigrationRecommendation> recommendation,
                           AvroSerde<BalanceReport> balanceReport, AvroSerde<ControlEvent> control,
                           AvroSerde<MigrationEvent> migrationEvent,
                           StateCodec<VmState> vmState, StateCodec<HostState> hostState,
                           StateCodec<ClusterState> clusterState) {

    /** The standard serdes: Avro reading every schema version shipped with this build; the compact state codecs. */
    public static StreamSerdes standard() {
        return new StreamSerdes(AvroSerde.of(VmMemorySample.class), AvroSerde.of(HostMemorySample.class),
                AvroSerde.of(HostLoad.class), AvroSerde.of(MigrationRecommendation.class),
                AvroSerde.of(BalanceReport.class), AvroSerde.of(ControlEvent.class), AvroSerde.of(MigrationEvent.class),
                new VmStateCodec(), new HostStateCodec(), new AvroStateCodec<>(ClusterState.class));
    }
}

package io.memdrs.stream.http;

import io.memdrs.stream.config.DrsSettings;
import org.apache.kafka.streams.KafkaStreams;

/** The endpoints about this instance itself: {@code /health} and {@code /config}. */
final class InstanceEndpoints {
    private final KafkaStreams streams;
    private final DrsSettings settings;
    private final String self;

    InstanceEndpoints(KafkaStreams streams, DrsSettings settings, String self) {
        this.streams = streams;
        this.settings = settings;
        this.self = self;
    }

    /**
     * The body of {@code /health}.
     *
     * @param state the Kafka Streams state (CREATED, REBALANCING, RUNNING, PENDING_SHUTDOWN, ERROR, ...)
     * @param instance host:port of this instance
     */
    record Health(String state, String instance) {}

    /** 200 while the app runs or rebalances (it will serve again shortly), 503 otherwise. */
    ApiResponse health() {
        KafkaStreams.State state = streams.state();
        boolean healthy = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
        return ApiResponse.json(healthy ? 200 : 503, new Health(state.name(), self));
    }

    ApiResponse config() {
        return ApiResponse.json(SettingsView.of(settings, self));
    }
}

package io.memdrs.stream.taskstate;

import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds a {@link TaskStateStore} over a persistent, changelogged key-value store of the same name (RocksDB, no
 * record cache: the objects in memory are the cache). The store's name is its changelog's name.
 */
public final class TaskStateStoreBuilder<V> implements StoreBuilder<TaskStateStore<V>> {
    private final StateCodec<V> codec;
    private StoreBuilder<KeyValueStore<String, byte[]>> inner;

    public TaskStateStoreBuilder(String name, StateCodec<V> codec) {
        this.codec = codec;
        this.inner = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(),
                Serdes.ByteArray()).withCachingDisabled();
    }

    /** Ignored: the store keeps its values in memory already, a record cache beneath would only copy them. */
    @Override
    public TaskStateStoreBuilder<V> withCachingEnabled() {
        return this;
    }

    @Override
    public TaskStateStoreBuilder<V> withCachingDisabled() {
        return this;
    }

    @Override
    public TaskStateStoreBuilder<V> withLoggingEnabled(Map<String, String> config) {
        inner = inner.withLoggingEnabled(config);
        return this;
    }

    /** Refused: without its changelog the store could not restore what was committed. */
    @Override
    public TaskStateStoreBuilder<V> withLoggingDisabled() {
        throw new UnsupportedOperationException("a task state store is always changelogged");
    }

    @Override
    public TaskStateStore<V> build() {
        return new TaskStateStore<>(inner.build(), codec);
    }

    @Override
    public Map<String, String> logConfig() {
        return inner.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
        return inner.loggingEnabled();
    }

    @Override
    public String name() {
        return inner.name();
    }
}

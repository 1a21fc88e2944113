package io.memdrs.stream.taskstate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A task's state held as plain objects in memory, with the changelogged key-value store beneath as the truth.
 *
 * <p>The stream thread reads and changes live objects ({@link #get(String, String)}, {@link #put(String, String,
 * Object)}, {@link #delete(String, String)}, {@link #inCluster(String)}): no serde, no store access per record.
 * Changed keys are remembered, and when the task commits, Kafka Streams flushes its stores' caches before the
 * transaction is committed ({@link #flushCache()}): then each changed value is encoded once and written, with
 * deletions, to the store beneath in one batch — so its changelog records are part of the same transaction as the
 * input offsets, and a crash restores exactly the committed state. A task that is closed dirty, revived or
 * re-assigned drops the objects ({@link #reset()}); they are loaded again from the store, after its restoration, at
 * the first access.
 *
 * <p>Keys are {@code cluster} or {@code cluster + '\u0000' + id}; values are grouped per cluster so that a round
 * reads its cluster without a scan. The {@link KeyValueStore} methods, used by interactive queries from other
 * threads, return copies.
 *
 * @param <V> the state's type
 */
public final class TaskStateStore<V> extends WrappedStateStore<KeyValueStore<String, byte[]>, String, V>
        implements KeyValueStore<String, V> {
    private static final char SEPARATOR = '\u0000';

    private final StateCodec<V> codec;
    private final Map<String, Map<String, Slot<V>>> byCluster = new ConcurrentHashMap<>();
    private final List<Slot<V>> dirty = new ArrayList<>();
    private volatile boolean loaded;
    private long flushes;
    private long written;

    TaskStateStore(KeyValueStore<String, byte[]> store, StateCodec<V> codec) {
        super(store);
        this.codec = codec;
    }

    /**
     * The task state store {@code name} of the processor's task. Kafka Streams hands processors their stores behind
     * a read-write decorator; the live-object methods are the store's own, so it is taken from behind it.
     */
    @SuppressWarnings("unchecked")
    public static <V> TaskStateStore<V> of(ProcessorContext<?, ?> context, String name) {
        StateStore store = context.getStateStore(name);
        while (!(store instanceof TaskStateStore) && store instanceof WrappedStateStore<?, ?, ?> wrapper) {
            store = wrapper.wrapped();
        }
        if (!(store instanceof TaskStateStore)) {
            throw new IllegalStateException("store " + name + " is not a task state store: " + store.getClass().getName());
        }
        return (TaskStateStore<V>) store;
    }

    /** The live value of {@code key} in {@code cluster}, or null. Stream thread only. */
    public V get(String cluster, String key) {
        ensureLoaded();
        Map<String, Slot<V>> slots = byCluster.get(cluster);
        Slot<V> slot = slots == null ? null : slots.get(key);
        return slot == null ? null : slot.value;
    }

    /** Sets (or marks as changed, after changing it in place) the value of {@code key}. Stream thread only. */
    public void put(String cluster, String key, V value) {
        ensureLoaded();
        Map<String, Slot<V>> slots = byCluster.get(cluster);
        if (slots == null) {
            slots = byCluster.computeIfAbsent(cluster, c -> new ConcurrentHashMap<>());
        }
        Slot<V> slot = slots.get(key);
        if (slot == null) {
            slot = new Slot<>(key);
            slots.put(key, slot);
        }
        slot.value = value;
        changed(slot);
    }

    public void delete(String cluster, String key) {
        ensureLoaded();
        Map<String, Slot<V>> slots = byCluster.get(cluster);
        Slot<V> slot = slots == null ? null : slots.get(key);
        if (slot != null && slot.value != null) {
            slot.value = null;
            changed(slot);
        }
    }

    private void changed(Slot<V> slot) {
        if (!slot.dirty) {
            slot.dirty = true;
            dirty.add(slot);
        }
    }

    /** The live values of {@code cluster}, in key order (the order a range scan of the store would give). */
    public List<V> inCluster(String cluster) {
        ensureLoaded();
        Map<String, Slot<V>> slots = byCluster.get(cluster);
        if (slots == null) {
            return List.of();
        }
        List<Slot<V>> present = new ArrayList<>(slots.size());
        slots.values().forEach(slot -> {
            if (slot.value != null) {
                present.add(slot);
            }
        });
        present.sort(Comparator.comparing(slot -> slot.key));
        List<V> out = new ArrayList<>(present.size());
        present.forEach(slot -> out.add(slot.value));
        return out;
    }

    /** The clusters with at least one value, sorted. */
    public List<String> clusters() {
        ensureLoaded();
        List<String> ids = new ArrayList<>();
        byCluster.forEach((cluster, slots) -> {
            if (slots.values().stream().anyMatch(slot -> slot.value != null)) {
                ids.add(cluster);
            }
        });
        ids.sort(Comparator.naturalOrder());
        return ids;
    }

    /** Values held in memory. */
    public int size() {
        ensureLoaded();
        return (int) byCluster.values().stream().flatMap(slots -> slots.values().stream())
                .filter(slot -> slot.value != null).count();
    }

    /** Changed keys not yet written to the store beneath. */
    public int pendingWrites() {
        return dirty.size();
    }

    /** Commits so far that wrote something, and the values they wrote. */
    public long flushes() {
        return flushes;
    }

    public long written() {
        return written;
    }

    /** Drops the objects (and any change not yet written): the next access loads them from the store again. */
    public synchronized void reset() {
        byCluster.clear();
        dirty.clear();
        loaded = false;
    }

    @Override
    public void flushCache() {
        if (!dirty.isEmpty()) {
            List<KeyValue<String, byte[]>> batch = new ArrayList<>(dirty.size());
            for (Slot<V> slot : dirty) {
                V value = slot.value;
                batch.add(KeyValue.pair(slot.key, value == null ? null : codec.encode(value)));
                slot.dirty = false;
                if (value == null) {
                    byCluster.get(clusterOf(slot.key)).remove(slot.key, slot);
                }
            }
            wrapped().putAll(batch);
            written += batch.size();
            flushes++;
            dirty.clear();
        }
        super.flushCache();
    }

    @Override
    public void clearCache() {
        reset();
        super.clearCache();
    }

    @Override
    public void close() {
        reset();
        super.close();
    }

    private void ensureLoaded() {
        if (!loaded) {
            load();
        }
    }

    private synchronized void load() {
        if (loaded) {
            return;
        }
        try (KeyValueIterator<String, byte[]> it = wrapped().all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                if (kv.value != null) {
                    Slot<V> slot = new Slot<>(kv.key);
                    try {
                        slot.value = codec.decode(kv.value);
                    } catch (RuntimeException e) {
                        throw new UnreadableStateException(name(), kv.key, e);
                    }
                    byCluster.computeIfAbsent(clusterOf(kv.key), c -> new ConcurrentHashMap<>()).put(kv.key, slot);
                }
            }
        }
        loaded = true;
    }

    static String clusterOf(String key) {
        int i = key.indexOf(SEPARATOR);
        return i < 0 ? key : key.substring(0, i);
    }

    // KeyValueStore: interactive queries (other threads) and generic callers; reads return copies.

    @Override
    public V get(String key) {
        V value = get(clusterOf(key), key);
        return value == null ? null : codec.copy(value);
    }

    @Override
    public void put(String key, V value) {
        put(clusterOf(key), key, value);
    }

    @Override
    public V putIfAbsent(String key, V value) {
        V existing = get(clusterOf(key), key);
        if (existing == null) {
            put(key, value);
        }
        return existing;
    }

    @Override
    public void putAll(List<KeyValue<String, V>> entries) {
        entries.forEach(kv -> {
            if (kv.value == null) {
                delete(clusterOf(kv.key), kv.key);
            } else {
                put(kv.key, kv.value);
            }
        });
    }

    @Override
    public V delete(String key) {
        V existing = get(key);
        delete(clusterOf(key), key);
        return existing;
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        return iterator(from, to, false);
    }

    @Override
    public KeyValueIterator<String, V> reverseRange(String from, String to) {
        return iterator(from, to, true);
    }

    @Override
    public KeyValueIterator<String, V> all() {
        return iterator(null, null, false);
    }

    @Override
    public KeyValueIterator<String, V> reverseAll() {
        return iterator(null, null, true);
    }

    @Override
    public long approximateNumEntries() {
        return size();
    }

    private KeyValueIterator<String, V> iterator(String from, String to, boolean reverse) {
        ensureLoaded();
        String cluster = clusterBetween(from, to);
        Map<String, Slot<V>> one = cluster == null ? null : byCluster.get(cluster);
        Iterable<Map<String, Slot<V>>> scope = cluster == null ? byCluster.values() : one == null ? List.of() : List.of(one);
        List<KeyValue<String, V>> out = new ArrayList<>();
        for (Map<String, Slot<V>> slots : scope) {
            slots.forEach((k, slot) -> {
                V v = slot.value;
                if (v != null && (from == null || k.compareTo(from) >= 0) && (to == null || k.compareTo(to) <= 0)) {
                    out.add(KeyValue.pair(k, codec.copy(v)));
                }
            });
        }
        Comparator<KeyValue<String, V>> byKey = Comparator.comparing(kv -> kv.key);
        out.sort(reverse ? byKey.reversed() : byKey);
        return new ListIterator<>(out.iterator());
    }

    /** The one cluster every key from {@code from} to {@code to} belongs to, if the bounds say so; else null. */
    static String clusterBetween(String from, String to) {
        if (from == null || to == null) {
            return null;
        }
        int sep = from.indexOf(SEPARATOR);
        if (sep >= 0 && sep == from.length() - 1 && to.equals(from.substring(0, sep) + '\u0001')) {
            return from.substring(0, sep); // the bounds of a whole cluster's range scan
        }
        return sep >= 0 && to.indexOf(SEPARATOR) == sep && to.startsWith(from.substring(0, sep + 1))
                ? from.substring(0, sep) : null;
    }

    /** One key's value (null once deleted, until the deletion is written) and whether it awaits writing. */
    private static final class Slot<V> {
        final String key;
        volatile V value;
        boolean dirty;

        Slot(String key) {
            this.key = key;
        }
    }

    private record ListIterator<V>(Iterator<KeyValue<String, V>> it) implements KeyValueIterator<String, V> {
        @Override
        public boolean hasNext() {
            return it.hasNext();
        }

        @Override
        public KeyValue<String, V> next() {
            return it.next();
        }

        @Override
        public void close() {}

        @Override
        public String peekNextKey() {
            throw new UnsupportedOperationException("peekNextKey is not supported by an in-memory task state");
        }
    }
}

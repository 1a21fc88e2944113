package io.memdrs.collector.model;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;

/** What libvirt reported for one domain in one poll: a value per tag it returned; absent tags are absent, not 0. */
public final class RawMemoryStats {
    public static final RawMemoryStats NONE = new RawMemoryStats(new EnumMap<>(MemoryStatTag.class));

    private final Map<MemoryStatTag, Long> values;

    private RawMemoryStats(EnumMap<MemoryStatTag, Long> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** From libvirt's (tag, value) pairs; unknown tags are ignored. */
    public static RawMemoryStats fromTags(int[] tags, long[] values) {
        EnumMap<MemoryStatTag, Long> map = new EnumMap<>(MemoryStatTag.class);
        for (int i = 0; i < tags.length; i++) {
            MemoryStatTag tag = MemoryStatTag.ofTag(tags[i]);
            if (tag != null) {
                map.put(tag, values[i]);
            }
        }
        return new RawMemoryStats(map);
    }

    public static RawMemoryStats of(Map<MemoryStatTag, Long> values) {
        return new RawMemoryStats(values.isEmpty() ? new EnumMap<>(MemoryStatTag.class) : new EnumMap<>(values));
    }

    public OptionalLong get(MemoryStatTag tag) {
        Long value = values.get(tag);
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    /** The value or null, for Avro's nullable fields. */
    public Long orNull(MemoryStatTag tag) {
        return values.get(tag);
    }

    public boolean has(MemoryStatTag tag) {
        return values.containsKey(tag);
    }

    public Map<MemoryStatTag, Long> asMap() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawMemoryStats other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}

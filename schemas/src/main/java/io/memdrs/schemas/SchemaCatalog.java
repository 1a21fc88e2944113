package io.memdrs.schemas;

import io.memdrs.avro.BalanceReport;
import io.memdrs.avro.ControlEvent;
import io.memdrs.avro.HostLoad;
import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.MigrationEvent;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.avro.VmMemorySample;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;

/**
 * Every writer schema a memdrs reader accepts, by CRC-64-AVRO fingerprint: the current schema of each record plus
 * each retired version listed in {@code io/memdrs/schemas/history/index.txt} on the class path. When a schema
 * changes, copy the old {@code .avsc} there so that records already in Kafka stay readable. Immutable.
 */
public final class SchemaCatalog implements SchemaStore {
    static final String HISTORY_INDEX = "io/memdrs/schemas/history/index.txt";

    /** The current schema of every record memdrs puts on a topic. */
    public static final List<Schema> CURRENT = List.of(
            VmMemorySample.getClassSchema(),
            HostMemorySample.getClassSchema(),
            HostLoad.getClassSchema(),
            MigrationRecommendation.getClassSchema(),
            BalanceReport.getClassSchema(),
            ControlEvent.getClassSchema(),
            MigrationEvent.getClassSchema());

    private static final SchemaCatalog DEFAULT = builder().addAll(CURRENT).addHistoryFromClasspath().build();

    private final Map<Long, Schema> byFingerprint;

    private SchemaCatalog(Map<Long, Schema> byFingerprint) {
        this.byFingerprint = Map.copyOf(byFingerprint);
    }

    /** Current schemas plus the retired ones shipped with this build. */
    public static SchemaCatalog standard() {
        return DEFAULT;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    @Override
    public Schema findByFingerprint(long fingerprint) {
        return byFingerprint.get(fingerprint);
    }

    public Optional<Schema> find(long fingerprint) {
        return Optional.ofNullable(byFingerprint.get(fingerprint));
    }

    public int size() {
        return byFingerprint.size();
    }

    /** Collects schemas; {@link #build()} freezes them. */
    public static final class Builder {
        private final Map<Long, Schema> schemas = new HashMap<>();

        private Builder() {}

        public Builder add(Schema schema) {
            schemas.put(fingerprint(schema), schema);
            return this;
        }

        public Builder addAll(Iterable<Schema> all) {
            all.forEach(this::add);
            return this;
        }

        public Builder add(SchemaCatalog other) {
            schemas.putAll(other.byFingerprint);
            return this;
        }

        /** Adds each {@code .avsc} named, one per line, in the class path's history index (if there is one). */
        public Builder addHistoryFromClasspath() {
            ClassLoader loader = SchemaCatalog.class.getClassLoader();
            try (InputStream index = loader.getResourceAsStream(HISTORY_INDEX)) {
                if (index == null) {
                    return this;
                }
                String dir = HISTORY_INDEX.substring(0, HISTORY_INDEX.lastIndexOf('/') + 1);
                for (String line : new String(index.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    String name = line.strip();
                    if (name.isEmpty() || name.startsWith("#")) {
                        continue;
                    }
                    try (InputStream avsc = loader.getResourceAsStream(dir + name)) {
                        if (avsc == null) {
                            throw new IllegalStateException(HISTORY_INDEX + " names " + name + ", which is not on the class path");
                        }
                        add(new Schema.Parser().parse(avsc));
                    }
                }
                return this;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + HISTORY_INDEX, e);
            }
        }

        public SchemaCatalog build() {
            return new SchemaCatalog(schemas);
        }
    }
}

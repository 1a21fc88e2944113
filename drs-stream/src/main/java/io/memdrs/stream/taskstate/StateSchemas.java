package io.memdrs.stream.taskstate;

import io.memdrs.schemas.SchemaCatalog;
import io.memdrs.stream.state.ClusterState;
import io.memdrs.stream.state.HostState;
import io.memdrs.stream.state.VmState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every Avro schema the stream app's state was ever written with: the current ones and, under
 * {@code io/memdrs/stream/taskstate/history/}, those of earlier releases, so that a changelog they wrote restores.
 */
public final class StateSchemas {
    /** Schemas of earlier releases, by resource name. Add the old {@code .avsc} here when a state schema changes. */
    static final List<String> HISTORY = List.of("VmState-0.1.avsc");
    private static final SchemaCatalog CATALOG = build();

    private StateSchemas() {}

    public static SchemaCatalog catalog() {
        return CATALOG;
    }

    private static SchemaCatalog build() {
        SchemaCatalog.Builder builder = SchemaCatalog.builder().add(VmState.getClassSchema())
                .add(HostState.getClassSchema()).add(ClusterState.getClassSchema());
        for (String name : HISTORY) {
            try (InputStream in = StateSchemas.class.getResourceAsStream("history/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("state schema history/" + name + " is not on the class path");
                }
                builder.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read state schema " + name, e);
            }
        }
        return builder.build();
    }
}

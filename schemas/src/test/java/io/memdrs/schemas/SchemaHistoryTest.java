package io.memdrs.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.avro.ControlEvent;
import io.memdrs.avro.ControlType;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/** Retired schema versions shipped with the build: records they wrote stay readable, and old readers read new records. */
class SchemaHistoryTest {
    private static Schema retired(String name) throws IOException {
        try (InputStream in = SchemaHistoryTest.class.getClassLoader().getResourceAsStream("io/memdrs/schemas/history/" + name)) {
            return new Schema.Parser().parse(in);
        }
    }

    @Test
    void shouldReadAControlEventWrittenBeforeTheKillSwitchExisted() throws IOException {
        Schema v1 = retired("ControlEvent-1.avsc");
        GenericRecord old = new GenericData.Record(v1);
        old.put("cluster", "c1");
        old.put("ruleId", "maintenance/h1");
        old.put("type", new GenericData.EnumSymbol(v1.getField("type").schema(), "HOST_MAINTENANCE"));
        old.put("active", true);
        old.put("hosts", List.of("h1"));
        old.put("vms", List.of());
        old.put("must", true);
        old.put("reason", null);
        old.put("createdAtMillis", 1L);
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old).array();

        ControlEvent read = AvroSerde.of(ControlEvent.class).decode(bytes);
        assertEquals(ControlType.HOST_MAINTENANCE, read.getType());
        assertEquals(List.of("h1"), read.getHosts());
    }

    @Test
    void shouldLetAReaderOfTheRetiredVersionReadTheKillSwitchAsUnknown() throws IOException {
        Schema v1 = retired("ControlEvent-1.avsc");
        assertTrue(SchemaCompatibility.checkReaderWriterCompatibility(v1, ControlEvent.getClassSchema()).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE, "a stream app of the last version reads new events");
        ControlEvent pause = ControlEvent.newBuilder().setCluster("c1").setRuleId("freeze").setType(ControlType.MIGRATIONS_PAUSED)
                .setCreatedAtMillis(1L).build();
        byte[] body = AvroSerde.of(ControlEvent.class).encode(pause);
        byte[] datum = java.util.Arrays.copyOfRange(body, 10, body.length); // past the single-object header
        GenericRecord read = new GenericDatumReader<GenericRecord>(ControlEvent.getClassSchema(), v1)
                .read(null, DecoderFactory.get().binaryDecoder(datum, null));
        assertEquals("UNKNOWN", read.get("type").toString(), "the enum's default stands in for a symbol it does not know");
    }

    @Test
    void shouldKeepEveryCurrentSchemaReadableByEachRetiredVersionOfIt() throws IOException {
        Schema v1 = retired("ControlEvent-1.avsc");
        assertTrue(SchemaCatalog.standard().find(SchemaCatalog.fingerprint(v1)).isPresent(), "the catalog knows v1");
        assertTrue(SchemaCompatibility.checkReaderWriterCompatibility(ControlEvent.getClassSchema(), v1).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
    }
}

package io.memdrs.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.VmMemorySample;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSerdeTest {

    static Stream<SpecificRecord> everyRecordType() {
        return Stream.of(ExampleRecords.vmSample(), ExampleRecords.hostSample(), ExampleRecords.hostLoad(),
                ExampleRecords.recommendation(), ExampleRecords.balanceReport(), ExampleRecords.controlEvent(),
                ExampleRecords.migrationEvent());
    }

    @ParameterizedTest
    @MethodSource("everyRecordType")
    @SuppressWarnings("unchecked")
    void shouldRoundTripEveryRecordType(SpecificRecord record) {
        AvroSerde<SpecificRecord> serde = AvroSerde.of((Class<SpecificRecord>) record.getClass());
        byte[] bytes = serde.serialize("any-topic", record);
        assertEquals(record, serde.deserialize("any-topic", bytes));
    }

    @Test
    void shouldWriteTheSpecsSingleObjectHeader() {
        byte[] bytes = AvroSerde.of(VmMemorySample.class).encode(ExampleRecords.vmSample());
        assertEquals((byte) 0xC3, bytes[0]);
        assertEquals((byte) 0x01, bytes[1]);
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(SchemaCatalog.fingerprint(VmMemorySample.getClassSchema()), fingerprint);
    }

    @Test
    void shouldBeReadableByAvrosOwnSingleObjectDecoder() throws IOException {
        byte[] bytes = AvroSerde.of(VmMemorySample.class).encode(ExampleRecords.vmSample());
        BinaryMessageDecoder<GenericRecord> plainAvro =
                new BinaryMessageDecoder<>(GenericData.get(), VmMemorySample.getClassSchema());
        GenericRecord read = plainAvro.decode(bytes);
        assertEquals("test", read.get("vmName").toString());
        assertEquals(2_097_152L, read.get("usageKiB"));
    }

    @Test
    void shouldReadARecordWrittenWithAnOlderSchemaVersion() throws IOException {
        Schema older = olderVmSampleSchema();
        VmMemorySample current = ExampleRecords.vmSample();
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(asOlderRecord(older)).array();

        AvroSerde<VmMemorySample> serde = AvroSerde.of(VmMemorySample.class,
                SchemaCatalog.builder().add(SchemaCatalog.standard()).add(older).build());
        VmMemorySample read = serde.decode(bytes);

        assertEquals(current.getVmUuid(), read.getVmUuid());
        assertEquals(current.getUsageKiB(), read.getUsageKiB());
        assertEquals(StatsHealth.OK, read.getHealth());
        assertNull(read.getDiskCachesKiB(), "a field the old writer did not have takes its default");
        assertNull(read.getBalloonModel());
    }

    @Test
    void shouldRefuseAnOlderSchemaItWasNotGiven() throws IOException {
        Schema older = olderVmSampleSchema();
        byte[] header = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(asOlderRecord(older)).array();

        RecordDecodingException e = assertThrows(RecordDecodingException.class,
                () -> AvroSerde.of(VmMemorySample.class).decode(header));
        assertEquals(DecodingFailure.UNKNOWN_FINGERPRINT, e.failure());
        assertTrue(e.getMessage().contains(String.format("%016x", SchemaCatalog.fingerprint(older))), e.getMessage());
    }

    @Test
    void shouldRefuseBytesWithoutTheSingleObjectMarker() {
        byte[] bytes = AvroSerde.of(VmMemorySample.class).encode(ExampleRecords.vmSample());
        bytes[0] = 0x00;
        RecordDecodingException e = assertThrows(RecordDecodingException.class,
                () -> AvroSerde.of(VmMemorySample.class).decode(bytes));
        assertEquals(DecodingFailure.BAD_MAGIC, e.failure());
        assertTrue(e.getMessage().contains("C3 01"), e.getMessage());
    }

    @Test
    void shouldRefuseAnUnknownFingerprint() {
        byte[] bytes = AvroSerde.of(VmMemorySample.class).encode(ExampleRecords.vmSample());
        bytes[5] ^= 0x5A;
        RecordDecodingException e = assertThrows(RecordDecodingException.class,
                () -> AvroSerde.of(VmMemorySample.class).decode(bytes));
        assertEquals(DecodingFailure.UNKNOWN_FINGERPRINT, e.failure());
    }

    @Test
    void shouldRefuseATruncatedBody() {
        byte[] bytes = AvroSerde.of(VmMemorySample.class).encode(ExampleRecords.vmSample());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 7);
        RecordDecodingException e = assertThrows(RecordDecodingException.class,
                () -> AvroSerde.of(VmMemorySample.class).decode(truncated));
        assertEquals(DecodingFailure.TRUNCATED_BODY, e.failure());
    }

    @Test
    void shouldRefuseAValueTooShortForTheHeader() {
        RecordDecodingException empty = assertThrows(RecordDecodingException.class,
                () -> AvroSerde.of(VmMemorySample.class).decode(new byte[0]));
        assertEquals(DecodingFailure.TRUNCATED_HEADER, empty.failure());
        assertTrue(empty.getMessage().contains("0 bytes"), empty.getMessage());
    }

    @Test
    void shouldRefuseARecordOfAnotherTypeOnTheTopic() {
        byte[] host = AvroSerde.of(HostMemorySample.class).encode(ExampleRecords.hostSample());
        RecordDecodingException e = assertThrows(RecordDecodingException.class,
                () -> AvroSerde.of(VmMemorySample.class).decode(host));
        assertEquals(DecodingFailure.WRONG_RECORD_TYPE, e.failure());
    }

    @Test
    void shouldRefuseTrailingBytes() {
        byte[] bytes = AvroSerde.of(HostMemorySample.class).encode(ExampleRecords.hostSample());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
        RecordDecodingException e = assertThrows(RecordDecodingException.class,
                () -> AvroSerde.of(HostMemorySample.class).decode(longer));
        assertEquals(DecodingFailure.MALFORMED_BODY, e.failure());
    }

    @Test
    void shouldPassNullThroughAsKafkaTombstone() {
        AvroSerde<VmMemorySample> serde = AvroSerde.of(VmMemorySample.class);
        assertNull(serde.serialize("t", null));
        assertNull(serde.deserialize("t", null));
    }

    @Test
    void shouldGiveEveryEnumADefaultAndEveryFieldADoc() {
        for (Schema schema : SchemaCatalog.CURRENT) {
            assertDocumented(schema);
        }
    }

    private static void assertDocumented(Schema schema) {
        switch (schema.getType()) {
            case RECORD -> {
                assertTrue(schema.getDoc() != null && !schema.getDoc().isBlank(), schema.getFullName() + " has no doc");
                for (Schema.Field field : schema.getFields()) {
                    assertTrue(field.doc() != null && !field.doc().isBlank(),
                            schema.getName() + "." + field.name() + " has no doc");
                    assertDocumented(field.schema());
                }
            }
            case ENUM -> assertTrue(schema.getEnumDefault() != null, schema.getFullName() + " has no default symbol");
            case UNION -> schema.getTypes().forEach(AvroSerdeTest::assertDocumented);
            case ARRAY -> assertDocumented(schema.getElementType());
            default -> { }
        }
    }

    /** The example VM sample, written as a generic record of {@code schema} (an older version). */
    private static GenericRecord asOlderRecord(Schema schema) {
        GenericRecord record = new GenericData.Record(schema);
        VmMemorySample current = ExampleRecords.vmSample();
        for (Schema.Field field : schema.getFields()) {
            Object value = current.get(field.name());
            if (value instanceof Enum<?> symbol) {
                value = new GenericData.EnumSymbol(field.schema(), symbol.name());
            }
            record.put(field.name(), value);
        }
        return record;
    }

    private static Schema olderVmSampleSchema() throws IOException {
        try (InputStream in = AvroSerdeTest.class.getResourceAsStream("older/VmMemorySample-0.0.avsc")) {
            return new Schema.Parser().parse(in);
        }
    }
}

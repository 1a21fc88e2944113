package io.memdrs.schemas;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The one Kafka serde of memdrs: Avro single-object encoding ({@code C3 01}, the writer schema's 8-byte
 * little-endian CRC-64-AVRO fingerprint, then the binary body), so any Avro reader in any language decodes a value
 * with the {@code .avsc} files alone. Values written with an older schema version are resolved against the current
 * one through a {@link SchemaCatalog}. Bytes that are not a valid single object raise a
 * {@link RecordDecodingException} naming the reason. Thread-safe.
 *
 * @param <T> the generated record class the topic carries
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {
    static final int HEADER_LENGTH = 10;
    private static final byte MAGIC_0 = (byte) 0xC3;
    private static final byte MAGIC_1 = (byte) 0x01;

    static {
        TrustedClasses.install();
    }

    private final Class<T> type;
    private final Schema readerSchema;
    private final SpecificData model;
    private final SchemaCatalog catalog;
    private final BinaryMessageEncoder<T> encoder;
    private final Map<Long, SpecificDatumReader<T>> readersByWriter = new ConcurrentHashMap<>();
    /** One decoder per thread, re-pointed at each value (a decoder is a few objects; decoding is per record). */
    private static final ThreadLocal<BinaryDecoder> DECODERS = new ThreadLocal<>();

    private AvroSerde(Class<T> type, SchemaCatalog catalog) {
        this.type = type;
        this.model = SpecificData.getForClass(type);
        this.readerSchema = model.getSchema(type);
        this.catalog = catalog;
        this.encoder = new BinaryMessageEncoder<>(model, readerSchema);
        TrustedClasses.trust(readerSchema);
    }

    /** A serde for {@code type} that reads every schema version shipped with this build. */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return new AvroSerde<>(type, SchemaCatalog.standard());
    }

    /**
     * A serde for {@code type} that reads the writer schemas of {@code catalog} — also for records that are not
     * memdrs contracts, such as an application's internal state.
     */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, SchemaCatalog catalog) {
        return new AvroSerde<>(type, catalog);
    }

    public Class<T> type() {
        return type;
    }

    public Schema schema() {
        return readerSchema;
    }

    /** Encodes one record as a single object. */
    public byte[] encode(T record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            encoder.encode(record, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + type.getSimpleName(), e);
        }
    }

    /** Decodes one single object, resolving an older writer schema; never returns null for non-null input. */
    public T decode(byte[] bytes) {
        if (bytes.length < HEADER_LENGTH) {
            throw new RecordDecodingException(DecodingFailure.TRUNCATED_HEADER,
                    "value has " + bytes.length + " bytes; an Avro single-object header alone needs " + HEADER_LENGTH);
        }
        if (bytes[0] != MAGIC_0 || bytes[1] != MAGIC_1) {
            throw new RecordDecodingException(DecodingFailure.BAD_MAGIC, String.format(
                    "value starts with %02X %02X, not the Avro single-object marker C3 01", bytes[0], bytes[1]));
        }
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        SpecificDatumReader<T> reader = readersByWriter.computeIfAbsent(fingerprint, this::readerFor);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH,
                DECODERS.get());
        DECODERS.set(decoder);
        T record;
        try {
            record = reader.read(null, decoder);
        } catch (EOFException e) {
            throw new RecordDecodingException(DecodingFailure.TRUNCATED_BODY, "body of " + (bytes.length - HEADER_LENGTH)
                    + " bytes ends before the " + readerSchema.getName() + " record does", e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new RecordDecodingException(DecodingFailure.MALFORMED_BODY,
                    "body does not decode as " + readerSchema.getName() + ": " + e.getMessage(), e);
        }
        try {
            if (!decoder.isEnd()) {
                throw new RecordDecodingException(DecodingFailure.MALFORMED_BODY,
                        "body has bytes left over after the " + readerSchema.getName() + " record");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return record;
    }

    private SpecificDatumReader<T> readerFor(long fingerprint) {
        Schema writer = catalog.findByFingerprint(fingerprint);
        if (writer == null) {
            throw new RecordDecodingException(DecodingFailure.UNKNOWN_FINGERPRINT, String.format(
                    "schema fingerprint %016x is not a known version of any memdrs record (expected %s)",
                    fingerprint, readerSchema.getFullName()));
        }
        if (!writer.getFullName().equals(readerSchema.getFullName())) {
            throw new RecordDecodingException(DecodingFailure.WRONG_RECORD_TYPE, String.format(
                    "value is a %s, this topic carries %s", writer.getFullName(), readerSchema.getFullName()));
        }
        return new SpecificDatumReader<>(writer, readerSchema, model);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return data == null ? null : encode(data);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return data == null ? null : decode(data);
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Nothing to configure: the schema catalog travels with the class path.
    }

    @Override
    public void close() {
        // No resources.
    }
}

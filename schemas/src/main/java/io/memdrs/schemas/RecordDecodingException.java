package io.memdrs.schemas;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that are not a valid Avro single-object encoding of the expected memdrs record. The {@link #failure()}
 * says which check failed; the message says it in words, so it can go straight into a dead-letter record.
 */
public final class RecordDecodingException extends SerializationException {
    private final DecodingFailure failure;

    public RecordDecodingException(DecodingFailure failure, String message) {
        super(failure + ": " + message);
        this.failure = failure;
    }

    public RecordDecodingException(DecodingFailure failure, String message, Throwable cause) {
        super(failure + ": " + message, cause);
        this.failure = failure;
    }

    public DecodingFailure failure() {
        return failure;
    }
}

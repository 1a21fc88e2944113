package io.memdrs.schemas;

/** Why a byte array is not a readable memdrs record. Each value names a distinct, actionable fault. */
public enum DecodingFailure {
    /** Fewer bytes than the 10-byte single-object header (including an empty value). */
    TRUNCATED_HEADER,
    /** The first two bytes are not the Avro single-object marker {@code C3 01}. */
    BAD_MAGIC,
    /** The header's CRC-64-AVRO fingerprint matches no schema this reader knows. */
    UNKNOWN_FINGERPRINT,
    /** The fingerprint names a schema of another record type than the topic carries. */
    WRONG_RECORD_TYPE,
    /** The body ends before the record does. */
    TRUNCATED_BODY,
    /** The body does not decode with the writer schema (bad union index, bad length, trailing bytes...). */
    MALFORMED_BODY
}

package io.memdrs.topics;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record a memdrs program could not use, as it goes to {@code memdrs.dead-letters}: the original key and value bytes,
 * untouched, and headers that say where it came from and why it was refused.
 */
public final class DeadLetter {
    public static final String REASON = "memdrs.dlq.reason";
    public static final String FAILURE = "memdrs.dlq.failure";
    public static final String TOPIC = "memdrs.dlq.topic";
    public static final String PARTITION = "memdrs.dlq.partition";
    public static final String OFFSET = "memdrs.dlq.offset";

    private DeadLetter() {}

    /** Headers for a refused record; {@code failure} is a short code (e.g. BAD_MAGIC), {@code reason} the words. */
    public static Headers headers(String failure, String reason, String topic, int partition, long offset) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(FAILURE, bytes(failure));
        headers.add(REASON, bytes(reason));
        headers.add(TOPIC, bytes(topic));
        headers.add(PARTITION, bytes(Integer.toString(partition)));
        headers.add(OFFSET, bytes(Long.toString(offset)));
        return headers;
    }

    public static String header(Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

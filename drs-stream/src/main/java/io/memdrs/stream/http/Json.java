package io.memdrs.stream.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The one JSON mapper of the HTTP API: compact output, records and maps as they are. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {}

    /** A finite number, or null (JSON has no infinity: e.g. the target imbalance of migration level 1). */
    static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}

package io.memdrs.stream.taskstate;

/**
 * How one kind of task state is written to its store and changelog, and read back. Reads every format an earlier
 * release wrote; writes the current one. Implementations are stateless and thread-safe.
 *
 * @param <V> the state's type
 */
public interface StateCodec<V> {
    /** The current format's bytes of {@code value}. */
    byte[] encode(V value);

    /** The value of {@code bytes}, in this format or any earlier one; a clear exception when they are neither. */
    V decode(byte[] bytes);

    /** A deep copy, for readers on other threads (interactive queries) that must not see later changes. */
    V copy(V value);
}

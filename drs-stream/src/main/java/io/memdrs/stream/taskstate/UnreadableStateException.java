package io.memdrs.stream.taskstate;

/**
 * A value in a task state store that this release cannot read: written by a newer release, or damaged. Retrying
 * cannot help, so the app stops on it (see {@code StreamApp}) instead of replacing the stream thread forever.
 */
public final class UnreadableStateException extends IllegalStateException {
    public UnreadableStateException(String store, String key, RuntimeException cause) {
        super("cannot read the value of " + printable(key) + " in store " + store + ": " + cause.getMessage(), cause);
    }

    private static String printable(String key) {
        return "'" + key.replace('\u0000', '/') + "'";
    }
}

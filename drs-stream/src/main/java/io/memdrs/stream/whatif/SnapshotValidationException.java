package io.memdrs.stream.whatif;

import java.util.List;

/**
 * A what-if snapshot that cannot be planned. The message lists every problem found, one per line, each pointing at
 * its entry, e.g. {@code vms[3] (uuid "x"): host "h9" is not in hosts}.
 */
public final class SnapshotValidationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> problems;

    public SnapshotValidationException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public SnapshotValidationException(String problem) {
        this(List.of(problem));
    }

    /** The problems, in entry order. */
    public List<String> problems() {
        return problems;
    }
}

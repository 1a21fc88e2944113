package io.memdrs.engine;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Why a move is not allowed: its category, and the reason with the numbers, for explanations. The search meets far
 * more rejections than it explains, so a reason may be written only when first asked for ({@link #lazy}).
 */
public final class Rejection {
    private final RejectionKind kind;
    private Supplier<String> writer;
    private String reason;

    /** A rejection with its reason written out. */
    public Rejection(RejectionKind kind, String reason) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    private Rejection(RejectionKind kind, Supplier<String> writer) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    /** A rejection whose reason is written the first time {@link #reason()} is called. */
    static Rejection lazy(RejectionKind kind, Supplier<String> writer) {
        return new Rejection(kind, writer);
    }

    /** The category. */
    public RejectionKind kind() {
        return kind;
    }

    /** The reason with the numbers. */
    public String reason() {
        if (reason == null) {
            reason = Objects.requireNonNull(writer.get(), "reason");
            writer = null;
        }
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rejection r && kind == r.kind && reason().equals(r.reason());
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, reason());
    }

    @Override
    public String toString() {
        return "Rejection[kind=" + kind + ", reason=" + reason() + "]";
    }
}

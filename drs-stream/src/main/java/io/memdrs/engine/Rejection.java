package io.memdrs.engine;

import java.util.Objects;

/**
 * Why a move is not allowed.
 *
 * @param kind the category
 * @param reason the reason with the numbers, for explanations
 */
public record Rejection(RejectionKind kind, String reason) {

    public Rejection {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }
}

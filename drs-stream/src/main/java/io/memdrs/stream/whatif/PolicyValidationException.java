package io.memdrs.stream.whatif;

/** A policy file that cannot be used; the message names the key and what is wrong with its value. */
public final class PolicyValidationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PolicyValidationException(String message) {
        super(message);
    }
}

package dev.speck.store;

/** A store operation failed; nothing of it took effect. */
public final class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}

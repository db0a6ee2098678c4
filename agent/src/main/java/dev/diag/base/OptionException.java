package dev.diag.base;

/** An agent option string that cannot be used; the message is the line printed after {@code diag: }. */
public final class OptionException extends Exception {
    public OptionException(String message) {
        super(message);
    }
}

package dev.diag.sampler;

import java.io.IOException;

/** A sample file the reader does not understand: the caller reads it with the JDK's parser instead. */
final class JfrFormatException extends IOException {
    JfrFormatException(String message) {
        super(message);
    }

    JfrFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}

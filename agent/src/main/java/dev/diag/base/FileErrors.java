package dev.diag.base;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Says why reading or writing a file failed in plain words, for a line that names the file itself: the JDK's own
 * messages are a decoder's {@code Input length = 1}, or nothing but the path ({@code NoSuchFileException}), or the
 * path again before the reason.
 */
public final class FileErrors {
    private FileErrors() {}

    /** Returns why {@code e} happened, without the path: {@code not found}, {@code no space left on device}, ... */
    public static String describe(Throwable e) {
        if (e instanceof CharacterCodingException) return "not valid UTF-8";
        if (e instanceof NoSuchFileException) return "not found";
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof NotDirectoryException) return "not a directory";
        if (e instanceof FileAlreadyExistsException) return "already exists";
        if (e instanceof DirectoryNotEmptyException) return "directory not empty";
        if (e instanceof FileSystemException) {
            String reason = ((FileSystemException) e).getReason();
            if (reason != null) return plain(reason);
        }
        if (e instanceof IOException && e.getMessage() != null) return plain(e.getMessage());
        return Log.abbreviate(e);
    }

    /** The OS's reason as part of a sentence: {@code No space left on device} becomes {@code no space left on device}. */
    private static String plain(String reason) {
        String r = Log.abbreviate(reason);
        return r.isEmpty() ? r : r.substring(0, 1).toLowerCase(Locale.ROOT) + r.substring(1);
    }
}

package dev.diag.base;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

import static org.assertj.core.api.Assertions.assertThat;

class FileErrorsTest {
    @Test
    void givenTheJdksFileErrors_whenDescribed_thenPlainWordsWithoutThePath() {
        assertThat(FileErrors.describe(new MalformedInputException(1))).isEqualTo("not valid UTF-8");
        assertThat(FileErrors.describe(new NoSuchFileException("/x/y"))).isEqualTo("not found");
        assertThat(FileErrors.describe(new AccessDeniedException("/x/y"))).isEqualTo("permission denied");
        assertThat(FileErrors.describe(new FileSystemException("/x/.y.tmp", null, "Read-only file system")))
                .isEqualTo("read-only file system");
        assertThat(FileErrors.describe(new IOException("No space left on device"))).isEqualTo("no space left on device");
        assertThat(FileErrors.describe(new IllegalStateException("odd"))).isEqualTo("java.lang.IllegalStateException: odd");
    }
}

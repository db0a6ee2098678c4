package dev.diag.base;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtomicFileTest {
    @Test
    void givenContent_whenWritten_thenTheFileHoldsItWithMode0600AndNothingElseIsLeft(@TempDir Path dir) throws Exception {
        Path target = Files.writeString(dir.resolve("p.pb.gz"), "old");

        AtomicFile.write(target, out -> out.write("new".getBytes()));

        assertThat(Files.readString(target)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
        assertThat(names(dir)).containsExactly("p.pb.gz");
    }

    @Test
    void givenContentThatFailsHalfway_whenWritten_thenTheOldFileStaysAndNoTemporaryFileIsLeft(@TempDir Path dir)
            throws Exception {
        Path target = Files.writeString(dir.resolve("t.trace"), "old");

        assertThatThrownBy(() -> AtomicFile.write(target, out -> {
            out.write(new byte[100_000]);
            throw new IOException("No space left on device");
        })).hasMessage("No space left on device");

        assertThat(Files.readString(target)).isEqualTo("old");
        assertThat(names(dir)).containsExactly("t.trace");
    }

    @Test
    void givenMissingDirectoryOrAFile_whenChecked_thenRefused(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "");

        assertThatThrownBy(() -> AtomicFile.checkWritable(dir.resolve("missing"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> AtomicFile.checkWritable(file)).isInstanceOf(IOException.class);
        AtomicFile.checkWritable(dir);
        assertThat(names(dir)).containsExactly("f");
    }

    private static Object[] names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toArray();
        }
    }
}

package dev.diag.classfile;

import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SourceFilesTest {

    /** Declared in this file, under another name than the file's: the file cannot be guessed from the class. */
    static final class NestedHelper {}

    @Test
    void givenJdkAndClassPathClasses_whenLookedUp_thenTheirSourceFileAttributeNotAGuess() {
        assertThat(SourceFiles.of("java.lang.String")).isEqualTo("String.java");
        assertThat(SourceFiles.of("java.util.HashMap$Node")).isEqualTo("HashMap.java");
        assertThat(SourceFiles.of(NestedHelper.class.getName())).isEqualTo("SourceFilesTest.java");
        assertThat(SourceFiles.of("dev.diag.classfile.NoSuchClass")).isNull();
        Runnable lambda = () -> { };
        assertThat(SourceFiles.of(lambda.getClass().getName())).isNull();
    }

    @Test
    void givenAClassOnlyAnApplicationLoaderSees_whenLookedUpWithInstrumentation_thenFoundThroughTheLoadedClass(
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // A Kotlin-like class: its file is not its name plus ".java", and no loader but its own can find it.
        net.bytebuddy.jar.asm.ClassWriter w = new net.bytebuddy.jar.asm.ClassWriter(0);
        w.visit(net.bytebuddy.jar.asm.Opcodes.V17, net.bytebuddy.jar.asm.Opcodes.ACC_PUBLIC,
                "example/elsewhere/Billing", null, "java/lang/Object", null);
        w.visitSource("BillingService.kt", null);
        w.visitEnd();
        Files.createDirectories(dir.resolve("example/elsewhere"));
        Files.write(dir.resolve("example/elsewhere/Billing.class"), w.toByteArray());
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            Class<?> c = Class.forName("example.elsewhere.Billing", false, loader);
            SourceFiles.install(ByteBuddyAgent.install());

            // Loaded after the last scan of the loaded classes: found once the next scan is due (at most a second).
            String file = SourceFiles.of(c.getName());
            for (long deadline = System.nanoTime() + 5_000_000_000L; file == null && System.nanoTime() < deadline; ) {
                Thread.sleep(50);
                file = SourceFiles.of(c.getName());
            }
            assertThat(file).isEqualTo("BillingService.kt");
        }
    }

    @Test
    void givenNativeAndKernelFramesClassNames_whenChecked_thenNoneIsAClassAndNoneIsLookedUp() {
        assertThat(SourceFiles.isClassName("java.lang.String")).isTrue();
        assertThat(SourceFiles.isClassName("Main$Inner$1")).isTrue();
        assertThat(SourceFiles.isClassName("libjvm.so")).isFalse();
        assertThat(SourceFiles.isClassName("libc.so.6")).isFalse();
        assertThat(SourceFiles.isClassName("")).isFalse();
        assertThat(SourceFiles.isClassName("[kernel]")).isFalse();
        assertThat(SourceFiles.isClassName("a..b")).isFalse();
        assertThat(SourceFiles.isClassName("trailing.")).isFalse();
    }

    @Test
    void givenAClassNobodyHas_whenLookedUpAgainAndAgain_thenSearchedForOnce() {
        SourceFiles.install(ByteBuddyAgent.install());
        // A scan of the loaded classes now, so that the name below is missed within a second of it: not yet certain.
        assertThat(SourceFiles.of("example.nowhere.ScannedFor")).isNull();
        long before = SourceFiles.searches();
        for (int i = 0; i < 100; i++) assertThat(SourceFiles.of("example.nowhere.Missing")).isNull();
        assertThat(SourceFiles.of("libjvm.so")).isNull();

        // Once; twice at most when a loaded-class scan came due between two of the calls.
        assertThat(SourceFiles.searches() - before).isBetween(1L, 2L);
    }

    @Test
    void givenClassBytes_whenRead_thenSourceFileAndNamesComeFromTheSameParse() throws IOException {
        byte[] bytes = read(String.class.getResourceAsStream("String.class"));

        assertThat(ClassFileHeader.sourceFile(bytes)).isEqualTo("String.java");
        assertThat(ClassFileHeader.read(bytes).name()).isEqualTo("java.lang.String");
        assertThat(ClassFileHeader.read(bytes).superName()).isEqualTo("java.lang.Object");
    }

    private static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }
}

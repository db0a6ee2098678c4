package dev.diag.instrument;

import dev.diag.api.Traced;
import org.junit.jupiter.api.Test;

import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

class ClassFileMentionsTest {
    private final ClassFileMentions mentions = new ClassFileMentions("Ldev/diag/api/Traced;");

    static final class Annotated {
        @Traced
        void work() {}
    }

    static final class Plain {
        void work() {}
    }

    @Test
    void givenAClassFileNamingTheAnnotation_whenSearched_thenItIsFound() throws Exception {
        assertThat(mentions.mentionsAny(classFile(Annotated.class))).isTrue();
    }

    @Test
    void givenAClassFileNotNamingIt_whenSearched_thenItIsNotFound() throws Exception {
        assertThat(mentions.mentionsAny(classFile(Plain.class))).isFalse();
    }

    @Test
    void givenTheJdksLoaders_whenTheyDefineAClassNamingIt_thenItDoesNotPass() throws Exception {
        byte[] annotated = classFile(Annotated.class);

        TracedHooks traced = new TracedHooks();

        assertThat(traced.hooksClass(internalName(Annotated.class), null, null, annotated)).isFalse();
        assertThat(traced.hooksClass(internalName(Annotated.class), ClassLoader.getPlatformClassLoader(), null,
                annotated)).isFalse();
        assertThat(traced.hooksClass("example/Annotated", loader(), null, annotated)).isTrue();
        assertThat(traced.hooksClass("dev/diag/api/Traced", loader(), null, annotated)).as("diag's own").isFalse();
    }

    @Test
    void givenBytes_whenSearched_thenIndexOfFindsTheFirstOccurrenceOnly() {
        byte[] hay = "xxLabLab;".getBytes();

        assertThat(indexOf(hay, "Lab;")).isEqualTo(5);
        assertThat(indexOf(hay, "Lac;")).isEqualTo(-1);
        assertThat(indexOf("ab".getBytes(), "abc")).isEqualTo(-1);
        assertThat(indexOf("Lab;".getBytes(), "Lab;")).isZero();
        assertThat(indexOf("aaaaLaaa;aLaa;".getBytes(), "Laa;")).isEqualTo(10);
    }

    @Test
    void givenRandomBytes_whenSearched_thenHorspoolAgreesWithANaiveSearch() {
        java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 2_000; round++) {
            byte[] hay = new byte[random.nextInt(64)];
            for (int i = 0; i < hay.length; i++) hay[i] = (byte) ('a' + random.nextInt(3));
            byte[] needle = new byte[1 + random.nextInt(4)];
            for (int i = 0; i < needle.length; i++) needle[i] = (byte) ('a' + random.nextInt(3));

            assertThat(ClassFileMentions.indexOf(hay, needle, ClassFileMentions.skipTable(needle)))
                    .as("%s in %s", new String(needle), new String(hay))
                    .isEqualTo(new String(hay, java.nio.charset.StandardCharsets.ISO_8859_1)
                            .indexOf(new String(needle, java.nio.charset.StandardCharsets.ISO_8859_1)));
        }
    }

    private static int indexOf(byte[] hay, String needle) {
        byte[] n = needle.getBytes();
        return ClassFileMentions.indexOf(hay, n, ClassFileMentions.skipTable(n));
    }

    private static String internalName(Class<?> type) {
        return type.getName().replace('.', '/');
    }

    private static ClassLoader loader() {
        return ClassFileMentionsTest.class.getClassLoader();
    }

    static byte[] classFile(Class<?> type) throws Exception {
        try (InputStream in = type.getClassLoader().getResourceAsStream(internalName(type) + ".class")) {
            return in.readAllBytes();
        }
    }
}

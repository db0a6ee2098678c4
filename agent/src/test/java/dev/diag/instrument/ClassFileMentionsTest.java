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
    void givenAClassFileNamingTheAnnotation_whenAnApplicationLoaderDefinesIt_thenItPasses() throws Exception {
        assertThat(mentions.mayTransform(internalName(Annotated.class), loader(), classFile(Annotated.class))).isTrue();
    }

    @Test
    void givenAClassFileNotNamingIt_whenDefined_thenItDoesNotPass() throws Exception {
        assertThat(mentions.mayTransform(internalName(Plain.class), loader(), classFile(Plain.class))).isFalse();
    }

    @Test
    void givenTheJdksLoaders_whenTheyDefineAClassNamingIt_thenItDoesNotPass() throws Exception {
        byte[] annotated = classFile(Annotated.class);

        assertThat(mentions.mayTransform(internalName(Annotated.class), null, annotated)).isFalse();
        assertThat(mentions.mayTransform(internalName(Annotated.class), ClassLoader.getPlatformClassLoader(), annotated))
                .isFalse();
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

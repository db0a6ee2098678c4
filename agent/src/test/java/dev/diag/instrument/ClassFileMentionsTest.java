package dev.diag.instrument;

import dev.diag.api.Traced;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

class ClassFileMentionsTest {
    private final ClassFileMentions mentions = new ClassFileMentions("Ldev/diag/api/Traced;");
    private final TypePool pool = TypePool.Default.ofSystemLoader();

    static final class Annotated {
        @Traced
        void work() {}
    }

    static final class Plain {
        void work() {}
    }

    @Test
    void givenAClassFileNamingTheAnnotation_whenScanned_thenTheMatcherMayMatch() throws Exception {
        scan(Annotated.class);

        assertThat(mentions.mayMention().matches(describe(Annotated.class))).isTrue();
    }

    @Test
    void givenAClassFileNotNamingIt_whenScanned_thenTheMatcherRulesTheTypeOutWithoutParsingIt() throws Exception {
        scan(Plain.class);

        assertThat(mentions.mayMention().matches(describe(Plain.class))).isFalse();
    }

    @Test
    void givenTheLastScanWasOfAnotherClass_whenAsked_thenItDoesNotKnowAndMayMatch() throws Exception {
        scan(Plain.class);

        assertThat(mentions.mayMention().matches(describe(Annotated.class))).isTrue();
    }

    @Test
    void givenALoadedTypeDescription_whenAsked_thenItMayMatch() throws Exception {
        scan(Plain.class);

        assertThat(mentions.mayMention().matches(TypeDescription.ForLoadedType.of(Plain.class))).isTrue();
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

    private void scan(Class<?> type) throws Exception {
        String internal = type.getName().replace('.', '/');
        try (InputStream in = type.getClassLoader().getResourceAsStream(internal + ".class")) {
            mentions.transform(type.getClassLoader(), internal, null, null, in.readAllBytes());
        }
    }

    private TypeDescription describe(Class<?> type) {
        return pool.describe(type.getName()).resolve();
    }
}

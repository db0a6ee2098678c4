package dev.diag.attach;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetJvmTest {
    @ParameterizedTest(name = "\"{0}\" is Java {1}")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
            "1.8.0_392 | 8",
            "1.8       | 8",
            "11.0.2    | 11",
            "17        | 17",
            "21.0.1+12 | 21",
            "25        | 25",
            "25-ea     | 25",
            "garbage   | -1",
            "17abc     | -1",
            "1.x       | -1",
            "''        | -1",
            "99999999999 | -1"})
    void givenVersionString_whenParsed_thenFeatureOrMinusOne(String version, int feature) {
        int parsed = TargetJvm.feature(version);

        assertThat(parsed).isEqualTo(feature);
    }

    @ParameterizedTest(name = "java.version {0} (spec \"{1}\") is refused")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
            "1.8.0_392 | 1.8",
            "11.0.2    | 11",
            "1.8.0_392 | ''"})
    void givenJvmOlderThan17_whenChecked_thenIncompatibleNamingItsVersionAndHome(String javaVersion, String spec) {
        Properties target = properties(javaVersion, spec);

        assertThatThrownBy(() -> TargetJvm.requireSupportedJava(4242, target))
                .isInstanceOfSatisfying(AttachException.class, e -> {
                    assertThat(e.exitCode()).as("README's exit code for a too old JVM").isEqualTo(6);
                    assertThat(e.getMessage()).isEqualTo("pid 4242 runs Java " + javaVersion
                            + " (/opt/jdk); diag needs Java 17 or newer");
                });
    }

    @ParameterizedTest(name = "java.version {0} (spec \"{1}\") is accepted")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
            "17        | 17",
            "21.0.1+12 | 21",
            "25        | 25",
            "21.0.1+12 | ''"})
    void givenJvm17OrNewer_whenChecked_thenAccepted(String javaVersion, String spec) {
        Properties target = properties(javaVersion, spec);

        assertThatCode(() -> TargetJvm.requireSupportedJava(4242, target)).doesNotThrowAnyException();
        assertThat(TargetJvm.javaFeature(target)).isGreaterThanOrEqualTo(TargetJvm.MIN_JAVA);
    }

    @Test
    void givenUnreadableVersion_whenChecked_thenIncompatibleQuotingWhatTheJvmSaid() {
        Properties target = properties("garbage", "");

        assertThatThrownBy(() -> TargetJvm.requireSupportedJava(4242, target))
                .isInstanceOfSatisfying(AttachException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(AttachException.INCOMPATIBLE);
                    assertThat(e.getMessage()).isEqualTo("pid 4242 runs a Java version diag cannot read "
                            + "(java.specification.version=\"\", java.version=\"garbage\") (/opt/jdk); "
                            + "diag needs Java 17 or newer");
                });
    }

    private static Properties properties(String javaVersion, String spec) {
        Properties p = new Properties();
        p.setProperty("java.version", javaVersion);
        if (!spec.isEmpty()) p.setProperty("java.specification.version", spec);
        p.setProperty("java.home", "/opt/jdk");
        return p;
    }
}

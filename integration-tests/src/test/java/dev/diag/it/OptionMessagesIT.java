package dev.diag.it;

import dev.diag.it.workloads.ParkedThreadsWorkload;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What diag says about a file it cannot read or a value it cannot use: the cause in plain words with the file's name
 * (not a decoder's {@code Input length = 1} or the bare path), and a value of any length echoed as one short line.
 */
class OptionMessagesIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenConfigOrTokenFileMissingOrNotUtf8_whenStarted_thenOneLineSaysSoAndTheAppRuns(Jdk jdk, @TempDir Path dir)
            throws Exception {
        Path missing = dir.resolve("missing.conf");
        Path latin1 = Files.write(dir.resolve("latin1.conf"), new byte[] {'l', 'o', 'g', '=', (byte) 0xe9, '\n'});

        assertThat(stderrOf(jdk, "config=" + missing))
                .isEqualTo("diag: cannot read config file \"" + missing + "\": not found; diag is off\n");
        assertThat(stderrOf(jdk, "config=" + latin1))
                .isEqualTo("diag: cannot read config file \"" + latin1 + "\": not valid UTF-8; diag is off\n");
        assertThat(stderrOf(jdk, "http=127.0.0.1:0,http.token.file=" + missing))
                .isEqualTo("diag: http is off: cannot read http.token.file \"" + missing + "\": not found\n");
        assertThat(stderrOf(jdk, "http=127.0.0.1:0,http.token.file=" + latin1))
                .isEqualTo("diag: http is off: cannot read http.token.file \"" + latin1 + "\": not valid UTF-8\n");
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenHundredKilobyteValues_whenRefused_thenEachIsOneShortLineWithTheLength(Jdk jdk) throws Exception {
        String huge = "a".repeat(100_000);
        String shown = "a".repeat(200) + "... (100000 chars)";

        assertThat(stderrOf(jdk, "cpu.hz=" + huge))
                .isEqualTo("diag: bad value for cpu.hz: \"" + shown + "\" (a whole number of Hz from 1 to 1000); diag is off\n");
        assertThat(stderrOf(jdk, "out=" + huge)).as("a file name too long: named once, cut")
                .isEqualTo("diag: cannot write profiles to " + shown + ": file name too long; out= is off\n");
    }

    /** Runs a workload that returns at once under {@code options}; returns diag's lines after checking the app ran. */
    private static String stderrOf(Jdk jdk, String options) throws Exception {
        AgentJvm jvm = AgentJvm.of(ParkedThreadsWorkload.class).jdk(jdk).agent(options).args("0").start();
        int exit = jvm.waitForExit(WAIT);
        assertThat(exit).as(jvm.stderr()).isZero();
        assertThat(jvm.stdout()).contains("ready");
        return jvm.stderrWithoutJvmWarnings();
    }
}

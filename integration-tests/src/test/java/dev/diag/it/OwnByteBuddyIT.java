package dev.diag.it;

import dev.diag.it.workloads.OwnByteBuddyWorkload;
import net.bytebuddy.ByteBuddy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** diag's Byte Buddy is relocated: an application bringing its own (older) Byte Buddy uses it undisturbed. */
class OwnByteBuddyIT {

    @Test
    void givenAppWithItsOwnOlderByteBuddy_whenRunWithTheAgent_thenTheAppUsesItsOwnAndDiagStillProfiles(
            @TempDir Path dir) throws Exception {
        String appByteBuddy = Path.of(ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        assertThat(appByteBuddy).as("the test's own Byte Buddy is not diag's").endsWith("byte-buddy-1.14.18.jar");

        AgentJvm jvm = AgentJvm.of(OwnByteBuddyWorkload.class).classPath(appByteBuddy)
                .agent("out=" + dir + ",profiles=threadcreate").start();

        assertThat(jvm.waitForExit(Duration.ofSeconds(60))).as("stderr: %s", jvm.stderr()).isZero();
        assertThat(jvm.stderrWithoutJvmWarnings()).isEmpty();
        assertThat(jvm.stdout()).contains("bytebuddy from=" + appByteBuddy,
                "generated=made_by_the_app's_Byte_Buddy");
        RawProfile threads = GoTool.raw(dir.resolve("threadcreate.pb.gz"));
        assertThat(threads.sum("threadcreate/count", s -> s.hasFrame("OwnByteBuddyWorkload.startWorker")))
                .isEqualTo(1);
    }
}

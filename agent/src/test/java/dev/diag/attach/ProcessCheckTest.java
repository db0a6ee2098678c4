package dev.diag.attach;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessCheckTest {
    @Test
    void givenProcStatusOfAJvm_whenAskedForSigquit_thenCaught() {
        // SigCgt of a HotSpot JVM: SIGQUIT (3) is bit 2.
        String status = "Name:\tjava\nSigIgn:\t0000000000000000\nSigCgt:\t2000000181005ccf\n";

        boolean caught = ProcessCheck.catches(status, 3);

        assertThat(caught).isTrue();
    }

    @Test
    void givenProcStatusOfSleep_whenAskedForSigquit_thenNotCaught() {
        String status = "Name:\tsleep\nSigCgt:\t0000000000000000\n";

        boolean caught = ProcessCheck.catches(status, 3);

        assertThat(caught).isFalse();
    }

    @Test
    void givenThisProcessOrNone_whenChecked_thenUsageOrNoSuchProcess() {
        assertThatThrownBy(() -> ProcessCheck.check(ProcessHandle.current().pid()))
                .isInstanceOfSatisfying(AttachException.class, e -> assertThat(e.exitCode()).isEqualTo(2));
        assertThatThrownBy(() -> ProcessCheck.parsePid("12a"))
                .isInstanceOfSatisfying(AttachException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(AttachException.USAGE);
                    assertThat(e.getMessage()).isEqualTo("\"12a\" is not a process id");
                });
    }
}

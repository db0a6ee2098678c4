package dev.diag.sampler;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OsThreadOwnersTest {
    private static final long OS = 4242;
    private static final long MAIN = 1;
    private static final long DESTROY_JAVA_VM = 28;

    @Test
    void givenMainEndedAndItsOsThreadBecameAnother_whenAsked_thenSamplesUpToTheEndAreMains() {
        OsThreadOwners owners = new OsThreadOwners();

        owners.ended(OS, MAIN, 1_000);

        assertThat(owners.javaIdAt(OS, 500, DESTROY_JAVA_VM)).isEqualTo(MAIN);
        assertThat(owners.javaIdAt(OS, 1_000, DESTROY_JAVA_VM)).isEqualTo(MAIN);
        assertThat(owners.javaIdAt(OS, 1_001, DESTROY_JAVA_VM)).as("after main's end").isEqualTo(DESTROY_JAVA_VM);
        assertThat(owners.javaIdAt(OS + 1, 500, 7)).as("another OS thread").isEqualTo(7);
    }

    @Test
    void givenThreeJavaThreadsInTurnOnOneOsThread_whenAsked_thenEachTimeHasItsOwn() {
        OsThreadOwners owners = new OsThreadOwners();

        owners.ended(OS, 10, 1_000);
        owners.ended(OS, 11, 2_000);

        assertThat(owners.javaIdAt(OS, 999, 12)).isEqualTo(10);
        assertThat(owners.javaIdAt(OS, 1_500, 12)).isEqualTo(11);
        assertThat(owners.javaIdAt(OS, 2_500, 12)).isEqualTo(12);
    }

    @Test
    void givenEndsBeforeARecordingWasRead_whenForgotten_thenTheyNoLongerCountAndTheTableHasRoomAgain() {
        OsThreadOwners owners = new OsThreadOwners();
        for (int i = 0; i < OsThreadOwners.MAX_EXITS; i++) owners.ended(i, i + 1, 1_000);
        owners.ended(OS, MAIN, 3_000);
        assertThat(owners.dropped()).isEqualTo(1);

        owners.forgetBefore(2_000);
        owners.ended(OS, MAIN, 3_000);

        assertThat(owners.javaIdAt(5, 0, 99)).isEqualTo(99);
        assertThat(owners.javaIdAt(OS, 2_500, DESTROY_JAVA_VM)).isEqualTo(MAIN);
        assertThat(owners.dropped()).isEqualTo(1);
    }

    @Test
    void givenEndsFillingHalfTheRing_whenMoreEnd_thenTheSamplerIsAskedToReadOncePerFilling() {
        OsThreadOwners owners = new OsThreadOwners();
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        owners.whenFilling(asked::incrementAndGet);

        for (int i = 0; i < OsThreadOwners.MAX_EXITS / 2; i++) owners.ended(i, i + 1, 1_000);
        assertThat(asked).as("below half").hasValue(0);
        for (int i = 0; i < 100; i++) owners.ended(OS, MAIN, 2_000);
        assertThat(asked).as("past half").hasValue(1);

        owners.forgetBefore(3_000); // the sampler read its samples, and the ring with them
        for (int i = 0; i < OsThreadOwners.MAX_EXITS / 2 + 1; i++) owners.ended(i, i + 1, 4_000);
        assertThat(asked).as("half full again").hasValue(2);
        assertThat(owners.dropped()).isZero();
    }
}

package dev.diag.stack;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FrameSourcePathTest {

    @Test
    void givenAClassInAPackage_whenSourcePath_thenTheFileIsUnderThePackageDirectory() {
        assertThat(new Frame("java.util.concurrent.locks.ReentrantLock", "lock", "()V", "ReentrantLock.java", 3)
                .sourcePath()).isEqualTo("java/util/concurrent/locks/ReentrantLock.java");
    }

    @Test
    void givenANestedClass_whenSourcePath_thenItIsItsOuterClassFile() {
        assertThat(Frame.sourcePath("com.example.Outer$Inner$1", "Outer.java")).isEqualTo("com/example/Outer.java");
    }

    @Test
    void givenTheDefaultPackageOrAnUnknownFile_whenSourcePath_thenTheFileNameOrNull() {
        assertThat(Frame.sourcePath("Main", "Main.java")).isEqualTo("Main.java");
        assertThat(new Frame("a.B", "c", null, null, 0).sourcePath()).isNull();
    }
}

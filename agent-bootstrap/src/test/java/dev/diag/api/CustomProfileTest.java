package dev.diag.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CustomProfileTest {
    @BeforeEach
    void linkTheApi() {
        ApiLink.set(true); // as diag does on attach (or the bootstrap copy is with -javaagent)
    }

    @AfterEach
    void unlink() {
        ApiLink.set(false);
    }

    @Test
    void givenTheApplicationsOwnCopyNotLinked_whenValuesAreAdded_thenTheyAreCountedWithoutAStack() {
        ApiLink.set(false); // a copy from the class path, loaded before diag was attached
        CustomProfile p = CustomProfile.create("test/unlinked");

        p.add(new Object());

        assertThat(p.count()).isEqualTo(1);
        assertThat(p.stackIds()).containsExactly(0);
    }

    @Test
    void givenANewName_whenCreatedTwiceOrWithABuiltInName_thenRefusedAsGosNewProfilePanics() {
        CustomProfile p = CustomProfile.create("test/created-once");

        assertThat(CustomProfile.lookup("test/created-once")).isSameAs(p);
        assertThat(CustomProfile.all()).contains(p);
        assertThatThrownBy(() -> CustomProfile.create("test/created-once")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already in use");
        assertThatThrownBy(() -> CustomProfile.create("heap")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("built in");
        assertThatThrownBy(() -> CustomProfile.create("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givenValues_whenAddedAndRemoved_thenCountedByIdentityAndADuplicateAddIsRefused() {
        CustomProfile p = CustomProfile.create("test/values");
        String a = new String("same text");
        String b = new String("same text"); // equal, not identical: a different value

        p.add(a);
        p.add(b);
        assertThatThrownBy(() -> p.add(a)).isInstanceOf(IllegalArgumentException.class);
        assertThat(p.count()).isEqualTo(2);
        assertThat(p.stackIds()).hasSize(2).doesNotContain(0);

        p.remove(a);
        p.remove(a); // not in the profile any more: ignored, as in Go
        p.remove(null);

        assertThat(p.count()).isEqualTo(1);
    }
}

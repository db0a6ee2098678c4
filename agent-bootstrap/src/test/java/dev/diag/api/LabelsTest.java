package dev.diag.api;

import dev.diag.hook.LabelHook;
import dev.diag.hook.LabelSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelsTest {
    @BeforeEach
    void linkTheApi() {
        ApiLink.set(true); // as diag does on attach (or the bootstrap copy is with -javaagent)
    }

    @AfterEach
    void noListener() {
        LabelHook.setListener(null);
        ApiLink.set(false);
    }

    @Test
    void givenTheApplicationsOwnCopyNotLinked_whenScopesOpen_thenNothingIsKeptAndMalformedArgumentsAreStillRejected() {
        ApiLink.set(false); // a copy from the class path, loaded before diag was attached

        try (Labels.Scope s = Labels.with("tenant", "acme")) {
            assertThat(Labels.current()).isEmpty();
            assertThat(LabelHook.current().size()).as("no hook was called").isZero();
        }
        assertThatThrownBy(() -> Labels.with("tenant")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Labels.with("tenant", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givenNestedScopes_whenInnerSetsAKeyAgain_thenItOverridesUntilClosedAndOuterLabelsComeBack() {
        try (Labels.Scope outer = Labels.with("tenant", "acme", "endpoint", "/a")) {
            try (Labels.Scope inner = Labels.with("endpoint", "/b", "job", "x")) {
                assertThat(Labels.current()).containsExactly(Map.entry("endpoint", "/b"), Map.entry("job", "x"),
                        Map.entry("tenant", "acme"));
            }
            assertThat(Labels.current()).containsExactly(Map.entry("endpoint", "/a"), Map.entry("tenant", "acme"));
        }
        assertThat(Labels.current()).isEmpty();
        assertThat(LabelHook.of(Thread.currentThread().getId())).isEqualTo(LabelSet.EMPTY);
    }

    @Test
    void givenAListener_whenScopesOpenAndClose_thenItSeesEveryChangeOnTheChangingThread() {
        List<String> seen = new ArrayList<>();
        LabelHook.setListener(labels -> seen.add(Thread.currentThread().getName() + " " + labels));

        try (Labels.Scope s = Labels.with("k", "v")) {
            assertThat(LabelHook.of(Thread.currentThread().getId()).toString()).isEqualTo("{k=v}");
        }

        String me = Thread.currentThread().getName();
        assertThat(seen).containsExactly(me + " {k=v}", me + " {}");
    }

    @Test
    void givenAFailingListener_whenLabelsChange_thenTheApplicationNeverSeesIt() {
        LabelHook.setListener(labels -> { throw new IllegalStateException("profiler bug"); });

        try (Labels.Scope s = Labels.with("k", "v")) {
            assertThat(Labels.current()).containsEntry("k", "v");
        }
        assertThat(Labels.current()).isEmpty();
    }

    @Test
    void givenMalformedArguments_whenWith_thenRejectedAndLabelsUnchanged() {
        assertThatThrownBy(() -> Labels.with("odd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Labels.with("k", null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Labels.current()).isEmpty();
    }

    @Test
    void givenAScopeClosedTwice_whenClosedAgainAfterALaterScope_thenTheLaterScopeIsNotUndone() {
        Labels.Scope first = Labels.with("a", "1");
        first.close();
        try (Labels.Scope second = Labels.with("b", "2")) {
            first.close();
            assertThat(Labels.current()).containsEntry("b", "2");
        }
    }
}

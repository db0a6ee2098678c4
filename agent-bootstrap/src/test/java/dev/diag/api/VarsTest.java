package dev.diag.api;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VarsTest {
    @Test
    void givenNewVars_whenUpdated_thenValuesAndJsonAreGos() {
        Vars.Int n = Vars.newInt("test.int");
        Vars.Float f = Vars.newFloat("test.float");
        Vars.StringVar s = Vars.newString("test.string");

        n.add(5);
        n.add(-2);
        f.add(1.25);
        f.add(0.25);
        s.set("a \"quoted\" <tag>");

        assertThat(n.value()).isEqualTo(3);
        assertThat(n.json()).isEqualTo("3");
        assertThat(f.value()).isEqualTo(1.5);
        assertThat(f.json()).isEqualTo("1.5");
        assertThat(s.json()).isEqualTo("\"a \\\"quoted\\\" \\u003ctag\\u003e\"");
        n.set(42);
        f.set(1e6);
        assertThat(n.json()).isEqualTo("42");
        assertThat(f.json()).as("Go's FormatFloat(f, 'g', -1, 64)").isEqualTo("1e+06");
        assertThat(Vars.get("test.int")).isSameAs(n);
    }

    @Test
    void givenANameInUseOrThePagesOwnKey_whenPublished_thenRefusedAsGoPanics() {
        Vars.newInt("test.once");

        assertThatThrownBy(() -> Vars.newInt("test.once")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Reuse of exported var name: test.once");
        for (String own : List.of("cmdline", "memstats", "jvm", "diag")) {
            assertThatThrownBy(() -> Vars.newMap(own)).as(own).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("Reuse of exported var name: " + own);
        }
        assertThatThrownBy(() -> Vars.publish("", () -> 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Vars.get("memstats")).isNull();
    }

    @Test
    void givenMapOperations_whenWritten_thenKeysSortedAsGosMapString() {
        Vars.Map m = Vars.newMap("test.map");
        Vars.StringVar label = new Vars.StringVar();
        label.set("x");

        m.add("b", 2);
        m.add("a", 1);
        m.add("b", 3);
        m.addFloat("c", 0.5);
        m.set("d", label);
        m.add("d", 7); // not an Int: left as it is, as in Go

        assertThat(m.json()).isEqualTo("{\"a\": 1, \"b\": 5, \"c\": 0.5, \"d\": \"x\"}");
        assertThat(((Vars.Int) m.get("b")).value()).isEqualTo(5);
        m.delete("a");
        assertThat(m.json()).isEqualTo("{\"b\": 5, \"c\": 0.5, \"d\": \"x\"}");
    }

    @Test
    void givenFuncs_whenWritten_thenValuesAreJsonAndAThrowingFuncIsAString() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("z", List.of(1, 2.5, true));
        nested.put("a", null);
        Vars.publish("test.func.map", () -> nested);
        Vars.publish("test.func.throws", () -> {
            throw new IllegalStateException("boom");
        });
        List<Object> self = new ArrayList<>();
        self.add(self);

        assertThat(Vars.get("test.func.map").json()).isEqualTo("{\"a\":null,\"z\":[1,2.5,true]}");
        assertThat(Vars.get("test.func.throws").json())
                .isEqualTo("\"Func failed: java.lang.IllegalStateException: boom\"");
        assertThat(((Vars.Func) () -> self).json()).startsWith("\"Func failed: ");
        assertThat(((Vars.Func) () -> new int[] {1, 2}).json()).isEqualTo("[1,2]");
        assertThat(((Vars.Func) () -> Double.NaN).json()).isEqualTo("null");
    }

    @Test
    void givenPublishedVars_whenWalked_thenInNameOrder() {
        Vars.newInt("test.order.b");
        Vars.newInt("test.order.a");
        List<String> names = new ArrayList<>();

        Vars.each((name, v) -> {
            if (name.startsWith("test.order.")) names.add(name);
        });

        assertThat(names).containsExactly("test.order.a", "test.order.b");
    }

    @Test
    void givenAFullTable_whenPublished_thenDroppedAndCountedAndTheVarStillWorks() {
        VarTable table = new VarTable(2);
        table.publish("a", new Vars.Int());
        table.publish("b", new Vars.Int());
        Vars.Int late = new Vars.Int();

        table.publish("c", late);
        late.add(1);

        assertThat(table.get("c")).isNull();
        assertThat(table.dropped()).isEqualTo(1);
        assertThat(late.value()).isEqualTo(1);
    }

    @Test
    void givenAFullMap_whenANewKeyIsAdded_thenDroppedAndCountedWhileExistingKeysStillCount() {
        Vars.Map m = new Vars.Map(2);
        m.add("a", 1);
        m.add("b", 1);
        long before = Vars.droppedMapKeys();

        m.add("c", 1);
        m.addFloat("d", 1);
        m.add("a", 1);

        assertThat(Vars.droppedMapKeys() - before).isEqualTo(2);
        assertThat(m.json()).isEqualTo("{\"a\": 2, \"b\": 1}");
    }

    @Test
    void givenASetThenTwoThreadsAdding_whenBothAreDone_thenEveryAddCountsOnTopOfTheSet() throws Exception {
        Vars.Int n = new Vars.Int();
        n.set(100);
        CountDownLatch go = new CountDownLatch(1);
        Thread[] adders = new Thread[2];
        for (int t = 0; t < adders.length; t++) {
            adders[t] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 100_000; i++) n.add(1);
            });
            adders[t].start();
        }

        go.countDown();
        for (Thread t : adders) t.join();

        assertThat(n.value()).isEqualTo(200_100);
    }
}

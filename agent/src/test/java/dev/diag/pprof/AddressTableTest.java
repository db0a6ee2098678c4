package dev.diag.pprof;

import dev.diag.stack.Frame;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Stable synthetic addresses, bounded: past the bound addresses stay unique but are not remembered. */
class AddressTableTest {

    @Test
    void givenEndlessNewFrames_whenAddressed_thenTheFirstKeepTheirAddressAndTheRestGetFreshUniqueOnes() {
        AddressTable table = new AddressTable(100);
        Frame first = new Frame("a.B", "m0", "()V", "B.java", 1);
        long firstAddress = table.address(first);
        Set<Long> seen = new HashSet<>();
        seen.add(firstAddress);

        for (int i = 1; i < 1_000; i++) seen.add(table.address(new Frame("a.B", "m" + i, "()V", "B.java", 1)));
        Frame late = new Frame("a.B", "m999", "()V", "B.java", 1);

        assertThat(seen).as("every address unique").hasSize(1_000);
        assertThat(table.address(new Frame("a.B", "m0", "()V", "B.java", 1))).isEqualTo(firstAddress);
        assertThat(table.frame(firstAddress)).isEqualTo(first);
        assertThat(table.address(late)).as("past the bound: not stable").isNotEqualTo(table.address(late));
        assertThat(table.unkeptCount()).isEqualTo(900 + 2);
    }
}

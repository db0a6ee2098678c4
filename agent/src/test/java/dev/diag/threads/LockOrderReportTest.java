package dev.diag.threads;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LockOrderReportTest {
    @Test
    void givenTwoLocksInBothOrders_whenSearched_thenOneCycleOfTwoStartingAtTheLowerLock() {
        int[][] edges = {{5, 3, 0}, {3, 5, 1}, {3, 7, 2}};

        List<List<LockOrderReport.Order>> cycles = LockOrderReport.cycles(edges);

        assertThat(cycles).containsExactly(List.of(new LockOrderReport.Order(3, 5, 1), new LockOrderReport.Order(5, 3, 0)));
    }

    @Test
    void givenConsistentOrders_whenSearched_thenNoCycle() {
        int[][] edges = {{1, 2, 0}, {2, 3, 1}, {1, 3, 2}};

        assertThat(LockOrderReport.cycles(edges)).isEmpty();
    }

    @Test
    void givenARingOfThreeAndOneOfTwo_whenSearched_thenBothOnceShortestFirst() {
        int[][] edges = {{1, 2, 0}, {2, 3, 1}, {3, 1, 2}, {4, 5, 3}, {5, 4, 4}};

        List<List<LockOrderReport.Order>> cycles = LockOrderReport.cycles(edges);

        assertThat(cycles).hasSize(2);
        assertThat(cycles.get(0)).extracting(LockOrderReport.Order::from).containsExactly(4, 5);
        assertThat(cycles.get(1)).extracting(LockOrderReport.Order::from).containsExactly(1, 2, 3);
    }

    @Test
    void givenARingOfFive_whenSearched_thenNotReported() {
        int[][] edges = {{1, 2, 0}, {2, 3, 1}, {3, 4, 2}, {4, 5, 3}, {5, 1, 4}};

        assertThat(LockOrderReport.cycles(edges)).isEmpty();
    }
}

package dev.lightmark.quality;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class RankingTest {
    @Test
    void spearmanOfMonotoneReversedAndTiedData() {
        double[] a = {1, 2, 3, 4, 5};
        assertEquals(1, Ranking.spearman(a, new double[]{10, 20, 35, 70, 1000}), 1e-12);
        assertEquals(-1, Ranking.spearman(a, new double[]{5, 4, 3, 2, 1}), 1e-12);
        assertArrayEquals(new double[]{1, 2.5, 2.5, 4}, Ranking.ranks(new double[]{0, 7, 7, 9}), 1e-12);
        assertTrue(Double.isNaN(Ranking.spearman(a, new double[]{1, 1, 1, 1, 1})));
        // a known value: d = (0, 1, -1, 0, 0) -> 1 - 6 * 2 / (5 * 24) = 0.9
        assertEquals(0.9, Ranking.spearman(a, new double[]{1, 3, 2, 4, 5}), 1e-12);
    }

    @Test
    void rocAucCountsOrderedPairs() {
        double[] s = {0.1, 0.4, 0.35, 0.8};
        boolean[] pos = {false, false, true, true};
        assertEquals(0.75, Ranking.rocAuc(s, pos), 1e-12);   // 3 of 4 (positive, negative) pairs in order
        assertEquals(1.0, Ranking.rocAuc(new double[]{0, 1}, new boolean[]{false, true}), 1e-12);
        assertEquals(0.5, Ranking.rocAuc(new double[]{1, 1}, new boolean[]{false, true}), 1e-12);
        assertTrue(Double.isNaN(Ranking.rocAuc(s, new boolean[4])));
    }
}

package dev.lightmark.loadtest;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class LoadTestTest {
    @Test
    void nearestRankQuantiles() {
        double[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5, LoadTest.rank(v, 0.5));
        assertEquals(9, LoadTest.rank(v, 0.9));
        assertEquals(10, LoadTest.rank(v, 0.99));
        assertEquals(1, LoadTest.rank(v, 0.0));
        assertTrue(Double.isNaN(LoadTest.rank(new double[0], 0.5)));
    }

    @Test
    void readsMemoryGaugesFromPrometheusText() {
        ServerStats s = ServerStats.parse("# HELP x\nprocess_resident_memory_bytes 1048576\n"
                + "jvm_memory_heap_used_bytes 2.5E7\nlightmark_faces_total 3\n");
        assertEquals(1048576, s.rssBytes());
        assertEquals(25_000_000, s.heapUsedBytes());
        assertEquals(-1, s.peakRssBytes());
    }
}

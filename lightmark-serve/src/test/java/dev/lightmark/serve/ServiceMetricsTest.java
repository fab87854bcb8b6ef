package dev.lightmark.serve;

import dev.lightmark.loadtest.ServerStatsAccess;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ServiceMetricsTest {
    @Test
    void quantilesUseNearestRankOverSuccessfulLandmarkRequests() {
        ServiceMetrics m = new ServiceMetrics();
        assertTrue(Double.isNaN(m.quantiles(0.5)[0]));
        for (int i = 1; i <= 100; i++) m.request("/v1/landmarks", 200, i / 1000.0, true);
        m.request("/v1/landmarks", 503, 5.0, true);     // rejections do not enter the latency window
        m.request("/health", 200, 9.0, false);
        double[] q = m.quantiles(0.5, 0.99, 1.0);
        assertEquals(0.050, q[0], 1e-9);
        assertEquals(0.099, q[1], 1e-9);
        assertEquals(0.100, q[2], 1e-9);
        assertEquals(100, m.count("/v1/landmarks", 200));
        assertEquals(1, m.count("/v1/landmarks", 503));
        String text = m.prometheus(1, 2);
        assertTrue(text.contains("lightmark_landmarks_latency_seconds_count 100\n"), text);
        assertTrue(text.contains("lightmark_busy_workers 1\n"), text);
        // the load tester reads the same text back
        assertTrue(ServerStatsAccess.parse(text).heapUsedBytes() > 0);
    }

    @Test
    void uploadNamesAreReducedToPlainCharacters() {
        assertEquals("face.jpg", UploadReader.safeName("C:\\photos\\face.jpg"));
        assertEquals("a_b.png", UploadReader.safeName("../../a\"b.png"));
        assertEquals("upload", UploadReader.safeName(".."));
        assertEquals("upload", UploadReader.safeName(null));
        assertEquals("image/jpeg", UploadReader.mediaType(" Image/JPEG; q=1"));
    }
}

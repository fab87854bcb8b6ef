package dev.lightmark.serve;

import dev.lightmark.loadtest.ServerStatsAccess;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ServiceMetricsTest {
    @Test
    void successfulLandmarkRequestsMakeTheLatencySummaryAndEveryMeterIsInTheText() {
        ServiceMetrics m = new ServiceMetrics();
        assertTrue(Double.isNaN(m.quantiles()[0]));
        for (int i = 1; i <= 100; i++) m.request("/v1/landmarks", 200, i / 1000.0, true);
        m.request("/v1/landmarks", 503, 5.0, true);     // rejections do not enter the latency summary
        m.request("/health", 200, 9.0, false);
        double[] q = m.quantiles();                     // 0.5, 0.9, 0.99 (Micrometer's histogram: a few % off exact)
        assertEquals(0.050, q[0], 0.004);
        assertEquals(0.090, q[1], 0.006);
        assertEquals(0.099, q[2], 0.006);
        assertEquals(100, m.count("/v1/landmarks", 200));
        assertEquals(1, m.count("/v1/landmarks", 503));
        assertEquals(102, m.totalRequests());
        m.workerGauge(() -> 1, 2);
        m.rejected.increment();
        String text = m.prometheus();
        assertTrue(text.contains("lightmark_landmarks_latency_seconds_count 100\n"), text);
        assertTrue(text.matches("(?s).*lightmark_landmarks_latency_seconds\\{quantile=\"0.99\"} 0\\.(09|10)[0-9]*\n.*"), text);
        assertTrue(text.contains("lightmark_http_requests_total{route=\"/v1/landmarks\",status=\"503\"} 1.0\n"), text);
        assertTrue(text.contains("lightmark_busy_workers 1.0\n"), text);
        assertTrue(text.contains("lightmark_max_workers 2.0\n"), text);
        assertTrue(text.contains("lightmark_rejected_total 1.0\n"), text);
        for (String name : new String[]{"lightmark_in_flight_requests", "lightmark_uploads_in_progress", "lightmark_slow_bodies_total",
                "lightmark_suspect_faces_total", "lightmark_images_total", "lightmark_faces_total", "process_resident_memory_bytes",
                "process_resident_memory_max_bytes", "jvm_memory_heap_used_bytes", "process_uptime_seconds"})
            assertTrue(text.contains("\n" + name + " "), name + " missing:\n" + text);
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

package dev.lightmark.serve;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the service, written as Prometheus text (exposition format 0.0.4) by
 * {@link #prometheus}. Latency quantiles cover the last {@link #WINDOW} successful landmark
 * requests; sums and counts cover the whole run.
 */
final class ServiceMetrics {
    static final int WINDOW = 4096;

    private final long startNanos = System.nanoTime();
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();   // "route status"
    final AtomicInteger inFlight = new AtomicInteger();
    final LongAdder rejected = new LongAdder();
    final LongAdder images = new LongAdder();
    final LongAdder faces = new LongAdder();
    /** Bodies refused with 408 (too slow, stalled or past the deadline). */
    final LongAdder slowBodies = new LongAdder();
    /** Faces whose points were flagged as far outside their crop. */
    final LongAdder suspectFaces = new LongAdder();
    private volatile java.util.function.IntSupplier uploadsInUse = () -> 0;
    private volatile int maxUploads;

    /** Where the upload-slot gauge reads from. */
    void uploadGauge(java.util.function.IntSupplier inUse, int max) {
        this.uploadsInUse = inUse;
        this.maxUploads = max;
    }

    private final double[] window = new double[WINDOW];
    private int windowNext, windowSize;
    private long latencyCount;
    private double latencySum;

    /** One answered request; {@code route} is a known route or "other" (bounded label values). */
    void request(String route, int status, double seconds, boolean landmarkWork) {
        requests.computeIfAbsent(route + " " + status, k -> new LongAdder()).increment();
        if (landmarkWork && status == 200) {
            synchronized (window) {
                window[windowNext] = seconds;
                windowNext = (windowNext + 1) % WINDOW;
                windowSize = Math.min(windowSize + 1, WINDOW);
                latencyCount++;
                latencySum += seconds;
            }
        }
    }

    double uptimeSeconds() { return (System.nanoTime() - startNanos) / 1e9; }

    /** Requests answered so far with this route and status (tests, health). */
    long count(String route, int status) {
        LongAdder a = requests.get(route + " " + status);
        return a == null ? 0 : a.sum();
    }

    long totalRequests() { return requests.values().stream().mapToLong(LongAdder::sum).sum(); }

    /** Quantiles of the latency window, in seconds; NaN before the first request. */
    double[] quantiles(double... q) {
        double[] copy;
        synchronized (window) {
            copy = Arrays.copyOf(window, windowSize);
        }
        Arrays.sort(copy);
        double[] out = new double[q.length];
        for (int i = 0; i < q.length; i++)   // nearest rank
            out[i] = copy.length == 0 ? Double.NaN : copy[Math.max(0, Math.min(copy.length, (int) Math.ceil(q[i] * copy.length)) - 1)];
        return out;
    }

    String prometheus(int busyWorkers, int maxWorkers) {
        StringBuilder sb = new StringBuilder(2048);
        help(sb, "lightmark_http_requests_total", "counter", "HTTP requests answered, by route and status code.");
        Map<String, Long> sorted = new TreeMap<>();
        requests.forEach((k, v) -> sorted.put(k, v.sum()));
        sorted.forEach((k, v) -> {
            int sp = k.lastIndexOf(' ');
            sb.append("lightmark_http_requests_total{route=\"").append(k, 0, sp).append("\",status=\"")
                    .append(k.substring(sp + 1)).append("\"} ").append(v).append('\n');
        });
        double[] q = quantiles(0.5, 0.9, 0.99);
        long count;
        double sum;
        synchronized (window) {
            count = latencyCount;
            sum = latencySum;
        }
        help(sb, "lightmark_landmarks_latency_seconds", "summary",
                "Time to answer successful POST /v1/landmarks requests (quantiles over the last " + WINDOW + ").");
        String[] names = {"0.5", "0.9", "0.99"};
        for (int i = 0; i < q.length; i++)
            sb.append("lightmark_landmarks_latency_seconds{quantile=\"").append(names[i]).append("\"} ").append(num(q[i])).append('\n');
        sb.append("lightmark_landmarks_latency_seconds_sum ").append(num(sum)).append('\n');
        sb.append("lightmark_landmarks_latency_seconds_count ").append(count).append('\n');
        gauge(sb, "lightmark_in_flight_requests", "POST /v1/landmarks requests being handled (reading, waiting or working).", inFlight.get());
        gauge(sb, "lightmark_busy_workers", "Work permits in use (requests decoding or running the models).", busyWorkers);
        gauge(sb, "lightmark_max_workers", "Work permits (--max-concurrent).", maxWorkers);
        counter(sb, "lightmark_rejected_total", "Requests refused with 503 because no work permit was free in time.", rejected.sum());
        gauge(sb, "lightmark_uploads_in_progress", "Upload slots in use (bodies still arriving).", uploadsInUse.getAsInt());
        gauge(sb, "lightmark_max_uploads", "Upload slots (--max-uploads).", maxUploads);
        counter(sb, "lightmark_slow_bodies_total", "Request bodies refused with 408: under the minimum rate, stalled or past the deadline.", slowBodies.sum());
        counter(sb, "lightmark_suspect_faces_total", "Faces answered with suspect=true (points far outside the crop).", suspectFaces.sum());
        counter(sb, "lightmark_images_total", "Images processed.", images.sum());
        counter(sb, "lightmark_faces_total", "Faces found and landmarked.", faces.sum());
        ProcessMemory m = ProcessMemory.now();
        gauge(sb, "process_resident_memory_bytes", "Resident set size of the server process (VmRSS).", m.rssBytes());
        gauge(sb, "process_resident_memory_max_bytes", "Peak resident set size (VmHWM).", m.peakRssBytes());
        gauge(sb, "jvm_memory_heap_used_bytes", "Java heap in use.", m.heapUsedBytes());
        gauge(sb, "jvm_memory_heap_committed_bytes", "Java heap committed.", m.heapCommittedBytes());
        help(sb, "process_uptime_seconds", "gauge", "Seconds since the service started.");
        sb.append("process_uptime_seconds ").append(num(uptimeSeconds())).append('\n');
        return sb.toString();
    }

    private static void gauge(StringBuilder sb, String name, String help, long v) {
        help(sb, name, "gauge", help);
        sb.append(name).append(' ').append(v).append('\n');
    }

    private static void counter(StringBuilder sb, String name, String help, long v) {
        help(sb, name, "counter", help);
        sb.append(name).append(' ').append(v).append('\n');
    }

    private static void help(StringBuilder sb, String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.6f", v);
    }
}

package dev.lightmark.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The service's meters, kept in a Micrometer Prometheus registry and written as Prometheus text by
 * {@link #prometheus}. Latency quantiles cover the successful landmark requests of the last
 * {@link #WINDOW} (Micrometer's decaying window); sums and counts cover the whole run.
 */
final class ServiceMetrics {
    static final Duration WINDOW = Duration.ofMinutes(2);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final long startNanos = System.nanoTime();
    private final Timer latency;
    final AtomicInteger inFlight = new AtomicInteger();
    final LongAdder rejected = new LongAdder();
    final LongAdder images = new LongAdder();
    final LongAdder faces = new LongAdder();
    /** Bodies refused with 408 (too slow, stalled or past the deadline). */
    final LongAdder slowBodies = new LongAdder();
    /** Faces whose points were flagged as far outside their crop. */
    final LongAdder suspectFaces = new LongAdder();
    private volatile IntSupplier uploadsInUse = () -> 0, workersInUse = () -> 0;
    private volatile int maxUploads, maxWorkers;

    ServiceMetrics() {
        latency = Timer.builder("lightmark.landmarks.latency")
                .description("Time to answer successful POST /v1/landmarks requests (quantiles over the last " + WINDOW.toMinutes() + " minutes).")
                .publishPercentiles(0.5, 0.9, 0.99).distributionStatisticExpiry(WINDOW).distributionStatisticBufferLength(3)
                .register(registry);
        Gauge.builder("lightmark.in.flight.requests", inFlight, AtomicInteger::get)
                .description("POST /v1/landmarks requests being handled (reading, waiting or working).").register(registry);
        Gauge.builder("lightmark.busy.workers", this, m -> m.workersInUse.getAsInt())
                .description("Work permits in use (requests decoding or running the models).").register(registry);
        Gauge.builder("lightmark.max.workers", this, m -> m.maxWorkers).description("Work permits (--max-concurrent).").register(registry);
        Gauge.builder("lightmark.uploads.in.progress", this, m -> m.uploadsInUse.getAsInt())
                .description("Upload slots in use (bodies still arriving).").register(registry);
        Gauge.builder("lightmark.max.uploads", this, m -> m.maxUploads).description("Upload slots (--max-uploads).").register(registry);
        counter("lightmark.rejected", rejected, "Requests refused with 503 because no work permit was free in time.");
        counter("lightmark.slow.bodies", slowBodies, "Request bodies refused with 408: under the minimum rate, stalled or past the deadline.");
        counter("lightmark.suspect.faces", suspectFaces, "Faces answered with suspect=true (points far outside the crop).");
        counter("lightmark.images", images, "Images processed.");
        counter("lightmark.faces", faces, "Faces found and landmarked.");
        Gauge.builder("process.resident.memory", () -> ProcessMemory.now().rssBytes()).baseUnit("bytes")
                .description("Resident set size of the server process (VmRSS).").register(registry);
        Gauge.builder("process.resident.memory.max", () -> ProcessMemory.now().peakRssBytes()).baseUnit("bytes")
                .description("Peak resident set size (VmHWM).").register(registry);
        Gauge.builder("jvm.memory.heap.used", () -> ProcessMemory.now().heapUsedBytes()).baseUnit("bytes")
                .description("Java heap in use.").register(registry);
        Gauge.builder("jvm.memory.heap.committed", () -> ProcessMemory.now().heapCommittedBytes()).baseUnit("bytes")
                .description("Java heap committed.").register(registry);
        Gauge.builder("process.uptime", this, ServiceMetrics::uptimeSeconds).baseUnit("seconds")
                .description("Seconds since the service started.").register(registry);
    }

    private void counter(String name, LongAdder source, String description) {
        FunctionCounter.builder(name, source, LongAdder::sum).description(description).register(registry);
    }

    /** Where the upload-slot gauges read from. */
    void uploadGauge(IntSupplier inUse, int max) {
        this.uploadsInUse = inUse;
        this.maxUploads = max;
    }

    /** Where the work-permit gauges read from. */
    void workerGauge(IntSupplier inUse, int max) {
        this.workersInUse = inUse;
        this.maxWorkers = max;
    }

    /** One answered request; {@code route} is a known route or "other" (bounded label values). */
    void request(String route, int status, double seconds, boolean landmarkWork) {
        requests(route, status).increment();
        if (landmarkWork && status == 200) latency.record(Math.round(seconds * 1e9), TimeUnit.NANOSECONDS);
    }

    private Counter requests(String route, int status) {
        return Counter.builder("lightmark.http.requests").description("HTTP requests answered, by route and status code.")
                .tag("route", route).tag("status", Integer.toString(status)).register(registry);
    }

    double uptimeSeconds() { return (System.nanoTime() - startNanos) / 1e9; }

    /** Requests answered so far with this route and status (tests, health). */
    long count(String route, int status) {
        Counter c = registry.find("lightmark.http.requests").tag("route", route).tag("status", Integer.toString(status)).counter();
        return c == null ? 0 : Math.round(c.count());
    }

    long totalRequests() {
        return Math.round(registry.find("lightmark.http.requests").counters().stream().mapToDouble(Counter::count).sum());
    }

    /** The published latency quantiles (0.5, 0.9, 0.99) in seconds; NaN before the first request. */
    double[] quantiles() {
        ValueAtPercentile[] v = latency.takeSnapshot().percentileValues();
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = latency.count() == 0 ? Double.NaN : v[i].value(TimeUnit.SECONDS);
        return out;
    }

    /** The registry's Prometheus text (exposition format 0.0.4). */
    String prometheus() { return registry.scrape(); }
}

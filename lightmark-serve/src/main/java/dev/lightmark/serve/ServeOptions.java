package dev.lightmark.serve;

import dev.lightmark.image.Images;
import dev.lightmark.infer.FacePipeline;

/**
 * Settings of the HTTP service.
 *
 * @param host           interface to listen on (127.0.0.1: this machine only)
 * @param port           TCP port; 0 picks a free one
 * @param threads        ONNX Runtime intra-op threads per inference
 * @param maxBodyBytes   larger request bodies are refused with 413 before they are read
 * @param maxConcurrent  requests decoded and run at the same time (work permits)
 * @param queueWaitMs    how long a request may wait for a permit before 503
 * @param maxPixels      larger images are refused with 413 from their header, before decoding
 * @param detector       detector used when a request names none
 * @param threshold      detector score threshold used when a request gives none
 * @param flip           test-time flip when a request does not say; null: each model's own default
 * @param drainMs        on shutdown, how long running requests may take to finish
 * @param maxFaces       at most this many faces (best scores) get landmarks per image
 * @param maxUploads     upload slots: bodies still arriving that are read at the same time (a body
 *                       already received needs none); separate from the work permits
 * @param minBodyRate    a body must arrive at this many bytes/s on average once {@link #BODY_GRACE_MS} have passed
 * @param bodyTimeoutMs  a body must be complete within this time
 */
public record ServeOptions(String host, int port, int threads, long maxBodyBytes, int maxConcurrent, long queueWaitMs,
                           long maxPixels, FacePipeline.DetectorChoice detector, float threshold, Boolean flip,
                           long drainMs, int maxFaces, int maxUploads, long minBodyRate, long bodyTimeoutMs) {
    public static final long DEFAULT_MAX_BODY_BYTES = 20L << 20;
    public static final long DEFAULT_MAX_PIXELS = 25_000_000L;
    public static final int DEFAULT_MAX_FACES = 32;
    public static final int DEFAULT_MAX_UPLOADS = 16;
    public static final long DEFAULT_MIN_BODY_RATE = 10_240;
    public static final long DEFAULT_BODY_TIMEOUT_MS = 60_000;
    /**
     * Time a body gets before the minimum rate applies, and the longest a body may stall with no
     * byte arriving (the connection's idle timeout while a body is read).
     */
    public static final long BODY_GRACE_MS = 2_000;

    public ServeOptions {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("--host is empty");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be 0..65535, got " + port);
        if (threads < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        if (maxBodyBytes < 1 || maxBodyBytes > Images.MAX_FILE_BYTES)
            throw new IllegalArgumentException("--max-body-bytes must be 1.." + Images.MAX_FILE_BYTES + ", got " + maxBodyBytes);
        if (maxConcurrent < 1) throw new IllegalArgumentException("--max-concurrent must be at least 1, got " + maxConcurrent);
        if (queueWaitMs < 0) throw new IllegalArgumentException("--queue-wait-ms must be >= 0, got " + queueWaitMs);
        if (maxPixels < 1 || maxPixels > Images.MAX_PIXELS)
            throw new IllegalArgumentException("--max-pixels must be 1.." + Images.MAX_PIXELS + ", got " + maxPixels);
        if (detector == null) throw new IllegalArgumentException("detector is null");
        if (!(threshold > 0 && threshold < 1)) throw new IllegalArgumentException("--threshold must be in (0, 1), got " + threshold);
        if (drainMs < 0) throw new IllegalArgumentException("drain time must be >= 0");
        if (maxFaces < 1 || maxFaces > 1000) throw new IllegalArgumentException("--max-faces must be 1..1000, got " + maxFaces);
        if (maxUploads < 1) throw new IllegalArgumentException("--max-uploads must be at least 1, got " + maxUploads);
        if (minBodyRate < 0) throw new IllegalArgumentException("--min-body-rate must be >= 0, got " + minBodyRate);
        if (bodyTimeoutMs < 1) throw new IllegalArgumentException("--body-timeout-seconds must be positive");
    }

    /** The limits each request body is read under. */
    BodyReader.Limits bodyLimits() { return new BodyReader.Limits(maxBodyBytes, minBodyRate, BODY_GRACE_MS, bodyTimeoutMs); }

    /** Local only, ephemeral port, one thread, 20 MB bodies, one permit per core, 1 s queue wait. */
    public static ServeOptions defaults() {
        return new ServeOptions("127.0.0.1", 0, 1, DEFAULT_MAX_BODY_BYTES,
                Math.max(1, Runtime.getRuntime().availableProcessors()), 1000, DEFAULT_MAX_PIXELS,
                FacePipeline.DetectorChoice.AUTO, 0.5f, null, 30_000, DEFAULT_MAX_FACES, DEFAULT_MAX_UPLOADS,
                DEFAULT_MIN_BODY_RATE, DEFAULT_BODY_TIMEOUT_MS);
    }

    public ServeOptions withPort(int p) {
        return new ServeOptions(host, p, threads, maxBodyBytes, maxConcurrent, queueWaitMs, maxPixels, detector, threshold, flip, drainMs,
                maxFaces, maxUploads, minBodyRate, bodyTimeoutMs);
    }
    public ServeOptions withMaxBodyBytes(long b) {
        return new ServeOptions(host, port, threads, b, maxConcurrent, queueWaitMs, maxPixels, detector, threshold, flip, drainMs,
                maxFaces, maxUploads, minBodyRate, bodyTimeoutMs);
    }
    public ServeOptions withConcurrency(int n, long waitMs) {
        return new ServeOptions(host, port, threads, maxBodyBytes, n, waitMs, maxPixels, detector, threshold, flip, drainMs,
                maxFaces, maxUploads, minBodyRate, bodyTimeoutMs);
    }
    public ServeOptions withMaxPixels(long p) {
        return new ServeOptions(host, port, threads, maxBodyBytes, maxConcurrent, queueWaitMs, p, detector, threshold, flip, drainMs,
                maxFaces, maxUploads, minBodyRate, bodyTimeoutMs);
    }
    public ServeOptions withDrainMs(long ms) {
        return new ServeOptions(host, port, threads, maxBodyBytes, maxConcurrent, queueWaitMs, maxPixels, detector, threshold, flip, ms,
                maxFaces, maxUploads, minBodyRate, bodyTimeoutMs);
    }
    public ServeOptions withMaxFaces(int n) {
        return new ServeOptions(host, port, threads, maxBodyBytes, maxConcurrent, queueWaitMs, maxPixels, detector, threshold, flip, drainMs,
                n, maxUploads, minBodyRate, bodyTimeoutMs);
    }
    public ServeOptions withUploads(int slots, long minRate, long timeoutMs) {
        return new ServeOptions(host, port, threads, maxBodyBytes, maxConcurrent, queueWaitMs, maxPixels, detector, threshold, flip, drainMs,
                maxFaces, slots, minRate, timeoutMs);
    }

    /**
     * Landmark requests that may wait for a work permit at once; more get 503 at once, so waiting
     * requests cannot take every HTTP thread.
     */
    int maxQueued() { return 4 * maxConcurrent + 16; }

    /**
     * HTTP threads: every landmark request the limits allow at once (taking in a body without a
     * slot, reading one with an upload slot, waiting for a slot, waiting for a permit, working) plus
     * {@link #SPARE_THREADS} that only /health, /metrics, /v1/models and refusals can use.
     */
    int httpThreads() { return 3 * maxUploads + maxQueued() + maxConcurrent + SPARE_THREADS; }

    /** Threads beyond what landmark requests can hold (Jetty's selector and acceptor take two of them). */
    static final int SPARE_THREADS = 16;
}

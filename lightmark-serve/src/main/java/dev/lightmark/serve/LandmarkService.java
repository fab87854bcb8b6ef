package dev.lightmark.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lightmark.batch.ResultJson;
import dev.lightmark.data.DataFormatException;
import dev.lightmark.image.ImageTooLargeException;
import dev.lightmark.image.Images;
import dev.lightmark.infer.FacePipeline;
import dev.lightmark.infer.FaceResult;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.http.HttpServletResponse;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP service: {@code POST /v1/landmarks}, {@code GET /v1/models}, {@code GET /health},
 * {@code GET /metrics} (Prometheus text).
 *
 * <p>Limits, in the order a request meets them: body size (413, before reading), query
 * parameters (400, unknown model 404), the body's pace (408 below the minimum rate or past the
 * deadline; a body still arriving needs one of {@code maxUploads} upload slots, else 503), a work
 * permit ({@code maxConcurrent}, waiting at most {@code queueWaitMs} with at most
 * {@link ServeOptions#maxQueued()} others, then 503 with Retry-After), image pixels and JPEG scans
 * from the header (413), decoding (400), at most {@code maxFaces} faces. Bodies are read before a
 * permit is taken, so a slow upload does not hold a worker, and the HTTP thread pool has
 * {@link ServeOptions#SPARE_THREADS} threads more than landmark requests can hold, so /health and
 * /metrics answer under any load. Jetty's own errors (414, 431, bad requests) are JSON too.
 */
public final class LandmarkService implements AutoCloseable {
    static {
        // Javalin and Jetty log every start and stop at INFO; the service reports those itself.
        quiet("io.javalin");
        quiet("org.eclipse.jetty");
    }

    private static final Logger LOG = LoggerFactory.getLogger(LandmarkService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String LANDMARKS = "/v1/landmarks", MODELS = "/v1/models", HEALTH = "/health", METRICS = "/metrics";
    private static final Set<String> ROUTES = Set.of(LANDMARKS, MODELS, HEALTH, METRICS);

    private final ServeOptions options;
    private final ModelRegistry models;
    /** This machine's CPU, read once. */
    private static final String CPU = dev.lightmark.runtime.CpuInfo.current().describe();
    private final ServiceMetrics metrics = new ServiceMetrics();
    private final Semaphore permits;
    private final Semaphore uploadSlots;
    private final AtomicInteger arriving = new AtomicInteger(), waitingForSlot = new AtomicInteger(), waitingForPermit = new AtomicInteger();
    private final UploadReader.Gate gate;
    /** Past the drain time: requests that have not started on the models get 503. */
    private volatile boolean cutoff;
    private volatile long drainDeadline = Long.MAX_VALUE;
    private final Javalin app;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean draining;
    /** Runs while a request holds its work permit, before decoding; tests use it to hold permits. */
    private volatile Runnable workHook = () -> {};

    private LandmarkService(ServeOptions options, ModelRegistry models) {
        this.options = options;
        this.models = models;
        this.permits = new Semaphore(options.maxConcurrent(), true);
        this.uploadSlots = new Semaphore(options.maxUploads(), true);
        this.gate = new UploadReader.Gate(options.bodyLimits(), uploadSlots, options.maxUploads(), arriving, waitingForSlot,
                options.queueWaitMs(), () -> cutoff, metrics.slowBodies::increment);
        metrics.uploadGauge(() -> options.maxUploads() - uploadSlots.availablePermits(), options.maxUploads());
        metrics.workerGauge(() -> options.maxConcurrent() - permits.availablePermits(), options.maxConcurrent());
        long body = options.maxBodyBytes();
        QueuedThreadPool pool = new QueuedThreadPool(options.httpThreads(), 4, 60_000);
        pool.setName("lightmark-http");
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.host = options.host();
            cfg.jetty.port = options.port();
            cfg.jetty.threadPool = pool;
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));   // 414, 431, 400 from Jetty
            cfg.jetty.modifyHttpConfiguration(http -> http.setDelayDispatchUntilContent(true));   // a body's first bytes come with it
            cfg.http.maxRequestSize = body;
            cfg.http.prefer405over404 = true;
            cfg.requestLogger.http((ctx, ms) -> {
                String route = ROUTES.contains(ctx.path()) ? ctx.path() : "other";
                metrics.request(route, ctx.statusCode(), ms / 1000.0, route.equals(LANDMARKS));
            });
            cfg.routes.post(LANDMARKS, this::landmarks);
            cfg.routes.get(MODELS, this::listModels);
            cfg.routes.get(HEALTH, this::health);
            cfg.routes.get(METRICS, ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.prometheus()));
            cfg.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage(), e.headers()));
            cfg.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getMessage(), Map.of()));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, 500, "internal error (" + e.getClass().getSimpleName() + "); see the server log", Map.of());
            });
        });
    }

    /** Starts listening; {@code models} stays the caller's to close after {@link #stop()}. */
    public static LandmarkService start(ServeOptions options, ModelRegistry models) {
        LandmarkService s = new LandmarkService(options, models);
        s.app.start();
        return s;
    }

    public int port() { return app.port(); }

    public String baseUrl() {
        String h = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return "http://" + h + ":" + port();
    }

    void setWorkHook(Runnable hook) { this.workHook = hook == null ? () -> {} : hook; }

    ServiceMetrics metrics() { return metrics; }

    // ---- endpoints ----

    private record Params(ModelRegistry.Model model, FacePipeline.DetectorChoice detector, float threshold, boolean flip, int maxFaces) {}

    /**
     * Answers in the handler itself (Javalin would write the result after the handler returns), so
     * the in-flight count that {@link #stop()} waits for covers writing the response too.
     */
    private void landmarks(Context ctx) {
        long t0 = System.nanoTime();
        metrics.inFlight.incrementAndGet();
        try {
            int status = 200;
            String body;
            Map<String, String> headers = Map.of();
            try {
                body = ResultJson.line(detect(ctx, t0));
            } catch (ApiException e) {
                status = e.status();
                body = errorJson(status, e.getMessage());
                headers = e.headers();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                status = 503;
                body = errorJson(status, "interrupted while waiting for a worker");
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                status = 500;
                body = errorJson(status, "internal error (" + e.getClass().getSimpleName() + "); see the server log");
            }
            respondNow(ctx, status, body, headers);
        } finally {
            metrics.inFlight.decrementAndGet();
        }
    }

    private ObjectNode detect(Context ctx, long t0) throws InterruptedException {
        if (draining) throw shuttingDown();
        Params p = params(ctx);
        UploadReader.Upload up = UploadReader.read(ctx, gate);
        long tRead = System.nanoTime();
        if (cutoff) throw shuttingDown();
        boolean got = false;
        if (waitingForPermit.incrementAndGet() <= options.maxQueued()) {
            try {
                got = permits.tryAcquire(options.queueWaitMs(), TimeUnit.MILLISECONDS);
            } finally {
                waitingForPermit.decrementAndGet();
            }
        } else {
            waitingForPermit.decrementAndGet();
        }
        if (!got) {
            metrics.rejected.increment();
            throw new ApiException(503, "busy: all " + options.maxConcurrent() + " workers in use for "
                    + options.queueWaitMs() + " ms; retry later", Map.of("Retry-After", "1"));
        }
        try (ModelRegistry.Lease lease = models.lease()) {   // the models stay open until it is returned
            if (lease == null || cutoff) throw shuttingDown();
            long tWork = System.nanoTime();
            workHook.run();
            BufferedImage img = decode(up);
            long tDecoded = System.nanoTime();
            FacePipeline pipe = models.pipeline(p.detector(), p.model());   // shares the detectors: not closed here
            List<FaceResult> found = pipe.detectFaces(img, p.threshold());
            int omitted = Math.max(0, found.size() - p.maxFaces());
            List<FaceResult> faces = pipe.landmarks(img, omitted > 0 ? found.subList(0, p.maxFaces()) : found, p.flip());
            long tDone = System.nanoTime();
            metrics.images.increment();
            metrics.faces.add(faces.size());
            long suspect = faces.stream().filter(FaceResult::suspect).count();
            if (suspect > 0) {
                metrics.suspectFaces.add(suspect);
                LOG.warn("model {}: {} face(s) flagged: {}", p.model().name(), suspect,
                        faces.stream().filter(FaceResult::suspect).findFirst().orElseThrow().warning());
            }
            ObjectNode json = ResultJson.result(up.name(), img.getWidth(), img.getHeight(), ms(tDecoded, tDone), faces);
            if (omitted > 0) json.put("facesOmitted", omitted);   // lower-scoring faces beyond maxFaces
            json.put("model", p.model().name());
            json.put("detector", p.detector().name());
            json.put("threshold", p.threshold());
            json.put("flip", p.flip());
            ObjectNode timing = json.putObject("timing");
            timing.put("readMs", ms(t0, tRead));
            timing.put("queueMs", ms(tRead, tWork));
            timing.put("decodeMs", ms(tWork, tDecoded));
            timing.put("pipelineMs", ms(tDecoded, tDone));
            timing.put("totalMs", ms(t0, System.nanoTime()));
            return json;
        } finally {
            permits.release();
        }
    }

    private static ApiException shuttingDown() {
        return new ApiException(503, "server is shutting down", Map.of("Retry-After", "1", "Connection", "close"));
    }

    /** Writes and closes the response; a client that has gone away is not an error of ours. */
    private static void respondNow(Context ctx, int status, String body, Map<String, String> headers) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpServletResponse res = ctx.res();
        res.setStatus(status);
        res.setContentType("application/json");
        res.setContentLength(bytes.length);
        headers.forEach(res::setHeader);
        try (OutputStream out = res.getOutputStream()) {
            out.write(bytes);
        } catch (IOException e) {
            LOG.debug("client went away before the response was written: {}", e.toString());
        }
    }

    private BufferedImage decode(UploadReader.Upload up) {
        try {
            return Images.decode(up.bytes(), up.name(), options.maxPixels());
        } catch (ImageTooLargeException e) {
            throw new ApiException(413, e.getMessage() + " (--max-pixels)");
        } catch (DataFormatException e) {
            throw new ApiException(400, e.getMessage());
        }
    }

    private Params params(Context ctx) {
        String name = ctx.queryParam("model");
        if (name == null || name.isEmpty()) name = models.defaultName();
        ModelRegistry.Model model = models.get(name);
        if (model == null)
            throw new ApiException(404, "unknown model '" + name + "'; available: " + models.models().keySet());
        FacePipeline.DetectorChoice det = options.detector();
        String d = ctx.queryParam("detector");
        if (d != null && !d.isEmpty()) {
            try {
                det = FacePipeline.DetectorChoice.valueOf(d.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "detector must be AUTO, FRONT or BACK, got '" + d + "'");
            }
        }
        float threshold = options.threshold();
        String t = ctx.queryParam("threshold");
        if (t != null && !t.isEmpty()) {
            try {
                threshold = Float.parseFloat(t);
            } catch (NumberFormatException e) {
                threshold = Float.NaN;
            }
            if (!(threshold > 0 && threshold < 1))
                throw new ApiException(400, "threshold must be a number in (0, 1), got '" + t + "'");
        }
        int maxFaces = options.maxFaces();
        String mf = ctx.queryParam("maxFaces");
        if (mf != null && !mf.isEmpty()) {
            try {
                maxFaces = Integer.parseInt(mf);
            } catch (NumberFormatException e) {
                maxFaces = -1;
            }
            if (maxFaces < 1 || maxFaces > options.maxFaces())
                throw new ApiException(400, "maxFaces must be 1.." + options.maxFaces() + " (--max-faces), got '" + mf + "'");
        }
        Boolean flip = options.flip();
        String f = ctx.queryParam("flip");
        if (f != null && !f.isEmpty()) {
            switch (f.toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes" -> flip = true;
                case "false", "0", "no" -> flip = false;
                default -> throw new ApiException(400, "flip must be true or false, got '" + f + "'");
            }
        }
        return new Params(model, det, threshold, flip != null ? flip : model.predictor().flipByDefault(), maxFaces);
    }

    private void listModels(Context ctx) {
        ObjectNode root = JSON.createObjectNode();
        root.put("default", models.defaultName());
        ArrayNode arr = root.putArray("models");
        for (ModelRegistry.Model m : models.models().values()) {
            ObjectNode o = arr.addObject();
            o.put("name", m.name());
            o.put("default", m.name().equals(models.defaultName()));
            o.put("source", m.source());
            var bundled = "bundled".equals(m.source()) ? dev.lightmark.infer.BundledModels.all().get(m.name()) : null;
            if (bundled != null) o.put("description", bundled.description());
            o.put("runtime", m.predictor().runtime());
            o.put("architecture", m.predictor().spec().architecture);
            o.put("width", m.predictor().spec().width);
            o.put("points", m.predictor().spec().points);
            o.put("inputSize", m.predictor().spec().inputSize);
        }
        ctx.contentType("application/json").result(ResultJson.line(root));
    }

    private void health(Context ctx) {
        ObjectNode root = JSON.createObjectNode();
        root.put("status", draining ? "draining" : "ok");
        root.put("uptimeSeconds", Math.round(metrics.uptimeSeconds() * 10) / 10.0);
        root.put("defaultModel", models.defaultName());
        ArrayNode names = root.putArray("models");
        models.models().keySet().forEach(names::add);
        root.put("requests", metrics.totalRequests());
        root.put("inFlight", metrics.inFlight.get());
        root.put("busyWorkers", options.maxConcurrent() - permits.availablePermits());
        root.put("maxWorkers", options.maxConcurrent());
        root.put("uploads", options.maxUploads() - uploadSlots.availablePermits());
        root.put("maxUploads", options.maxUploads());
        root.put("cpu", CPU);   // latency depends on it: the int8 models gain only with VNNI
        ProcessMemory m = ProcessMemory.now();
        ObjectNode mem = root.putObject("memory");
        mem.put("rssBytes", m.rssBytes());
        mem.put("peakRssBytes", m.peakRssBytes());
        mem.put("heapUsedBytes", m.heapUsedBytes());
        mem.put("heapMaxBytes", m.heapMaxBytes());
        ctx.status(draining ? 503 : 200).contentType("application/json").result(ResultJson.line(root));
    }

    private static void error(Context ctx, int status, String message, Map<String, String> headers) {
        headers.forEach(ctx::header);
        ctx.status(status).contentType("application/json").result(errorJson(status, message));
    }

    static String errorJson(int status, String message) {
        ObjectNode root = JSON.createObjectNode();
        root.put("error", message);
        root.put("status", status);
        return ResultJson.line(root);
    }

    private static double ms(long from, long to) { return Math.round((to - from) / 1e5) / 10.0; }

    // ---- shutdown ----

    /**
     * Graceful stop: the listening socket closes, requests arriving on open connections get 503,
     * running requests get up to {@code drainMs} to finish. Past that, requests that have not
     * started on the models get 503 (bodies still arriving are cut), while those running the models
     * always finish and are answered (their work is bounded by the pixel, scan and face limits); then
     * the server stops. The models are the caller's to close afterwards ({@link ModelRegistry#close()}
     * waits for any lease still out). Safe to call more than once.
     */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            awaitStop();
            return;
        }
        try {
            draining = true;
            // Close only the listening sockets: Jetty's graceful connector shutdown would also cut
            // connections quiet for a second, which includes a request still running the models.
            for (Connector c : app.jettyServer().server().getConnectors())
                if (c instanceof NetworkConnector nc) nc.close();
            drainDeadline = Math.min(drainDeadline, System.nanoTime() + options.drainMs() * 1_000_000L);
            while (metrics.inFlight.get() > 0 && System.nanoTime() < drainDeadline) pause();
            if (metrics.inFlight.get() > 0) {
                cutoff = true;
                LOG.warn("drain time ({} ms) over with {} request(s) running: those not yet on the models get 503, "
                        + "model runs finish", options.drainMs(), metrics.inFlight.get());
                long hard = System.nanoTime() + AFTER_CUTOFF_MS * 1_000_000L;
                while (metrics.inFlight.get() > 0 && System.nanoTime() < hard) pause();
            }
            int left = metrics.inFlight.get();
            if (left > 0) LOG.warn("stopping with {} request(s) still running after {} ms", left, options.drainMs() + AFTER_CUTOFF_MS);
            app.stop();
        } finally {
            stopped.countDown();
        }
    }

    /**
     * After the drain time, how long requests already running the models (or blocked reading a
     * body, at most the grace time) may still take before the server stops regardless.
     */
    static final long AFTER_CUTOFF_MS = 30_000;

    /** Ends the drain time now (a second SIGTERM or Ctrl-C): model runs still finish. */
    public void endDrainNow() { drainDeadline = System.nanoTime(); }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Blocks until {@link #stop()} has finished. */
    public void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isDraining() { return draining; }

    @Override
    public void close() { stop(); }

    private static void quiet(String logger) {
        String key = "org.slf4j.simpleLogger.log." + logger;
        if (System.getProperty(key) == null) System.setProperty(key, "warn");
    }
}

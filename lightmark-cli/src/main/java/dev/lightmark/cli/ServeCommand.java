package dev.lightmark.cli;

import dev.lightmark.infer.FacePipeline;
import dev.lightmark.serve.LandmarkService;
import dev.lightmark.serve.ModelRegistry;
import dev.lightmark.serve.ServeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"HTTP service: POST an image to /v1/landmarks, get faces and 68 landmarks as JSON.",
                "Also GET /health, /v1/models and /metrics (Prometheus text). Stops gracefully on SIGTERM / Ctrl-C and then exits with status 0."})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to listen on (0.0.0.0: all). Default: ${DEFAULT-VALUE}")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "TCP port (0: any free one). Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--model", paramLabel = "NAME=FILE",
            description = "Offer a landmark model (.onnx or .lmk) under NAME; repeatable. The bundled model is always offered as '"
                    + ModelRegistry.BUNDLED_NAME + "'.")
    Map<String, Path> models = new LinkedHashMap<>();

    @Option(names = "--default-model", description = "Model used when a request names none. Default: " + ModelRegistry.BUNDLED_NAME)
    String defaultModel;

    @Option(names = "--threads", defaultValue = "1", description = "Intra-op threads per inference. Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--max-concurrent", description = "Requests decoded and run at the same time. Default: cores / threads")
    Integer maxConcurrent;

    @Option(names = "--queue-wait-ms", defaultValue = "1000",
            description = "How long a request waits for a free worker before 503 + Retry-After. Default: ${DEFAULT-VALUE}")
    long queueWaitMs;

    @Option(names = "--max-body-bytes", defaultValue = "" + ServeOptions.DEFAULT_MAX_BODY_BYTES,
            description = "Larger request bodies get 413. Default: ${DEFAULT-VALUE} (20 MiB)")
    long maxBodyBytes;

    @Option(names = "--max-pixels", defaultValue = "" + ServeOptions.DEFAULT_MAX_PIXELS,
            description = "Larger images (width x height, read from the header) get 413. Default: ${DEFAULT-VALUE}")
    long maxPixels;

    @Option(names = "--detector", defaultValue = "AUTO", description = "Default detector: AUTO, FRONT or BACK. Default: ${DEFAULT-VALUE}")
    FacePipeline.DetectorChoice detector;

    @Option(names = "--threshold", defaultValue = "0.5", description = "Default detector score threshold. Default: ${DEFAULT-VALUE}")
    float threshold;

    @Option(names = "--flip", negatable = true,
            description = "Test-time flip when a request does not say (flip=true|false). Default: each model's own "
                    + "(on, except for bundled models where it does not pay)")
    Boolean flip;

    @Option(names = "--drain-seconds", defaultValue = "30",
            description = "On shutdown, time given to running requests to finish (model runs always finish). Default: ${DEFAULT-VALUE}")
    double drainSeconds;

    @Option(names = "--max-faces", defaultValue = "" + ServeOptions.DEFAULT_MAX_FACES,
            description = "At most this many faces (best scores) get landmarks per image. Default: ${DEFAULT-VALUE}")
    int maxFaces;

    @Option(names = "--max-uploads", defaultValue = "" + ServeOptions.DEFAULT_MAX_UPLOADS,
            description = "Bodies still arriving that are read at once (a body already received needs no slot); "
                    + "more get 503. Default: ${DEFAULT-VALUE}")
    int maxUploads;

    @Option(names = "--min-body-rate", defaultValue = "" + ServeOptions.DEFAULT_MIN_BODY_RATE,
            description = "Bytes/s a request body must average after its first 2 s (and no 2 s without a byte); slower ones get 408. "
                    + "Default: ${DEFAULT-VALUE}")
    long minBodyRate;

    @Option(names = "--body-timeout-seconds", defaultValue = "60",
            description = "A request body must be complete within this time, else 408. Default: ${DEFAULT-VALUE}")
    double bodyTimeoutSeconds;

    /** After the service has stopped, how long the models may still be in use before the process exits regardless. */
    static final long MODEL_WAIT_MS = 60_000;

    @Override
    public Integer call() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        int workers = maxConcurrent != null ? maxConcurrent : Math.max(1, cores / Math.max(1, threads));
        ServeOptions o = new ServeOptions(host, port, threads, maxBodyBytes, workers, queueWaitMs, maxPixels,
                detector, threshold, flip, Math.round(drainSeconds * 1000), maxFaces, maxUploads, minBodyRate,
                Math.round(bodyTimeoutSeconds * 1000));
        ModelRegistry registry = ModelRegistry.load(models, defaultModel, threads, threshold);
        LandmarkService service;
        try {
            service = LandmarkService.start(o, registry);
        } catch (RuntimeException e) {
            registry.close();
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + rootMessage(e), e);
        }
        Stopper stopper = new Stopper(service, registry, drainSeconds);
        // SIGTERM and Ctrl-C stop the service here, in the main thread, so that the process exits with 0
        // after a clean stop; the shutdown hook covers any other way the JVM is asked to exit.
        Thread hook = new Thread(stopper::stop, "lightmark-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        CountDownLatch stopRequested = new CountDownLatch(1);
        boolean signals = StopSignals.install(n -> {
            if (n == 1) {
                stopRequested.countDown();
            } else {
                System.err.println("lightmark serve: signal " + n + ": ending the drain now (model runs still finish)");
                service.endDrainNow();
            }
        });
        System.err.printf("lightmark serve: listening on %s (models %s, default %s; %d worker%s, %d thread%s each)%n",
                service.baseUrl(), registry.models().keySet(), registry.defaultName(),
                workers, workers == 1 ? "" : "s", threads, threads == 1 ? "" : "s");
        if (!signals) {   // the JVM's own handling: the hook stops the service, the exit status is 128 + signal
            service.awaitStop();
            return 0;
        }
        stopRequested.await();
        int code = stopper.stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyExiting) {
            // the JVM is exiting anyway; the hook finds the work done
        }
        return code;
    }

    /** Stops the service and closes the models once, from the main thread or the shutdown hook. */
    private static final class Stopper {
        private final LandmarkService service;
        private final ModelRegistry registry;
        private final double drainSeconds;
        private Integer code;

        Stopper(LandmarkService service, ModelRegistry registry, double drainSeconds) {
            this.service = service;
            this.registry = registry;
            this.drainSeconds = drainSeconds;
        }

        /** 0 after a clean stop; 1 when a model call was still running {@link #MODEL_WAIT_MS} after the server stopped. */
        synchronized int stop() {
            if (code != null) return code;
            System.err.println("lightmark serve: stopping (finishing running requests, up to " + drainSeconds + " s)");
            service.stop();
            registry.close();   // frees the models only once no request uses them
            boolean closed;
            try {
                closed = registry.awaitClosed(MODEL_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = registry.isClosed();
            }
            if (closed) {
                System.err.println("lightmark serve: stopped");
                code = 0;
            } else {
                System.err.println("lightmark serve: " + registry.leases() + " model call(s) still running after "
                        + MODEL_WAIT_MS / 1000 + " s; exiting without closing the models");
                code = 1;
            }
            return code;
        }
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) e = e.getCause();
        return e.getMessage();
    }
}

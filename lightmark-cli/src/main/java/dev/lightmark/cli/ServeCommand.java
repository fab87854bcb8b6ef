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

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"HTTP service: POST an image to /v1/landmarks, get faces and 68 landmarks as JSON.",
                "Also GET /health, /v1/models and /metrics (Prometheus text). Stops gracefully on SIGTERM / Ctrl-C."})
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

    @Option(names = "--flip", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Default test-time flip (requests may set flip=false). Default: on")
    boolean flip;

    @Option(names = "--drain-seconds", defaultValue = "30",
            description = "On shutdown, time given to running requests to finish. Default: ${DEFAULT-VALUE}")
    double drainSeconds;

    @Override
    public Integer call() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        int workers = maxConcurrent != null ? maxConcurrent : Math.max(1, cores / Math.max(1, threads));
        ServeOptions o = new ServeOptions(host, port, threads, maxBodyBytes, workers, queueWaitMs, maxPixels,
                detector, threshold, flip, Math.round(drainSeconds * 1000));
        ModelRegistry registry = ModelRegistry.load(models, defaultModel, threads, threshold);
        LandmarkService service;
        try {
            service = LandmarkService.start(o, registry);
        } catch (RuntimeException e) {
            registry.close();
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + rootMessage(e), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("lightmark serve: stopping (finishing running requests, up to " + drainSeconds + " s)");
            service.stop();
            registry.close();
            System.err.println("lightmark serve: stopped");
        }, "lightmark-shutdown"));
        System.err.printf("lightmark serve: listening on %s (models %s, default %s; %d worker%s, %d thread%s each)%n",
                service.baseUrl(), registry.models().keySet(), registry.defaultName(),
                workers, workers == 1 ? "" : "s", threads, threads == 1 ? "" : "s");
        service.awaitStop();
        return 0;
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) e = e.getCause();
        return e.getMessage();
    }
}

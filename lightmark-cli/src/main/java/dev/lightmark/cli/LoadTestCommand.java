package dev.lightmark.cli;

import dev.lightmark.loadtest.LoadTest;
import dev.lightmark.loadtest.ServerStats;
import dev.lightmark.progress.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "loadtest", mixinStandardHelpOptions = true,
        description = {"Load test of a running 'lightmark serve': POSTs one image from N clients for a fixed time per level;",
                "prints requests/s, latency percentiles, errors and the server's memory (from its /metrics)."})
final class LoadTestCommand implements Callable<Integer> {
    @Option(names = "--url", required = true, description = "Endpoint, e.g. http://127.0.0.1:8080/v1/landmarks (query parameters allowed)")
    URI url;

    @Option(names = "--image", required = true, description = "Photo sent as the request body")
    Path image;

    @Option(names = "--concurrency", split = ",", defaultValue = "1,4,16", description = "Client counts, one run each. Default: ${DEFAULT-VALUE}")
    List<Integer> concurrency;

    @Option(names = "--seconds", defaultValue = "20", description = "Measured seconds per level. Default: ${DEFAULT-VALUE}")
    double seconds;

    @Option(names = "--warmup", defaultValue = "2", description = "Unmeasured seconds before each level. Default: ${DEFAULT-VALUE}")
    double warmup;

    @Option(names = "--timeout", defaultValue = "30", description = "Per-request timeout in seconds. Default: ${DEFAULT-VALUE}")
    double timeout;

    @Option(names = "--metrics-url", description = "Where to read server memory; default: /metrics on the same host; 'none' to skip")
    String metricsUrl;

    @Option(names = "--content-type", description = "Default: from the image's extension (image/jpeg, image/png, ...)")
    String contentType;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(image)) throw new IllegalArgumentException("image file not found: " + image);
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()))
            throw new IllegalArgumentException("--url must be http:// or https://, got " + url);
        if (!(seconds > 0 && seconds <= 600)) throw new IllegalArgumentException("--seconds must be in (0, 600]");
        if (!(warmup >= 0 && warmup <= 60)) throw new IllegalArgumentException("--warmup must be in [0, 60]");
        for (int c : concurrency) if (c < 1 || c > 1024) throw new IllegalArgumentException("--concurrency values must be 1..1024, got " + c);
        byte[] body = Files.readAllBytes(image);
        URI metrics = metricsUrl == null ? url.resolve("/metrics") : metricsUrl.equals("none") ? null : URI.create(metricsUrl);
        LoadTest test = new LoadTest(url, body, contentType != null ? contentType : guessType(image), metrics,
                Duration.ofMillis(Math.round(timeout * 1000)));

        var probe = test.probe();
        if (probe.statusCode() != 200)
            throw new IllegalStateException(url + " answered " + probe.statusCode() + " to a first request: " + probe.body());
        System.out.printf(Locale.ROOT, "url %s, image %s (%,d bytes), %s s per level + %s s warm-up; client: %d cores, load %s%n",
                url, image, body.length, fmt(seconds), fmt(warmup), Runtime.getRuntime().availableProcessors(), loadAverage());

        List<LoadTest.Result> results = new ArrayList<>();
        for (int c : concurrency) {
            long total = (long) Math.ceil(warmup + seconds);
            LoadTest.Result r;
            try (ProgressBar bar = new ProgressBar("concurrency " + c, total, "s")) {
                long[] shown = {0};
                r = test.run(c, seconds, warmup, t -> {
                    long now = Math.min(total, t);
                    if (now > shown[0]) bar.step(now - shown[0]);
                    shown[0] = Math.max(shown[0], now);
                });
                if (total > shown[0]) bar.step(total - shown[0]);
            }
            results.add(r);
            if (r.errors() > 0) System.err.println("concurrency " + c + ": failures " + r.failures());
        }
        System.out.println(table(results));
        System.out.println("server load at end: " + loadAverage());
        return 0;
    }

    static String table(List<LoadTest.Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| concurrency | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | server RSS before -> after (peak) MiB | heap used after MiB |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (LoadTest.Result r : results) {
            ServerStats b = r.before(), a = r.after();
            sb.append(String.format(Locale.ROOT, "| %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %s -> %s (%s) | %s |%n",
                    r.concurrency(), r.requests(), r.requestsPerSecond(), r.p50(), r.p90(), r.p99(), r.max(), r.errors(),
                    mib(b.rssBytes()), mib(a.rssBytes()), mib(a.peakRssBytes()), mib(a.heapUsedBytes())));
        }
        return sb.toString().trim();
    }

    private static String mib(long bytes) { return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.0f", bytes / 1048576.0); }

    private static String fmt(double v) { return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v); }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "?";
        }
    }

    private static String guessType(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        Map<String, String> types = Map.of(".jpg", "image/jpeg", ".jpeg", "image/jpeg", ".png", "image/png",
                ".bmp", "image/bmp", ".gif", "image/gif");
        for (var e : types.entrySet()) if (n.endsWith(e.getKey())) return e.getValue();
        return "application/octet-stream";
    }
}

package dev.lightmark.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Closed-loop load on one URL: N client threads each POST the same body again and again for a
 * fixed time, and the latencies of requests started inside the measured window are kept.
 * Bounded in time: each request has a timeout, and nothing starts after the window ends.
 */
public final class LoadTest {
    /** Outcome of one concurrency level; latencies in milliseconds. */
    public record Result(int concurrency, double seconds, long requests, long errors, Map<String, Long> failures,
                         double requestsPerSecond, double p50, double p90, double p99, double max,
                         ServerStats before, ServerStats after) {}

    private final HttpClient client;
    private final URI url;
    private final byte[] body;
    private final String contentType;
    private final URI metricsUrl;
    private final Duration timeout;

    public LoadTest(URI url, byte[] body, String contentType, URI metricsUrl, Duration timeout) {
        this.url = url;
        this.body = body;
        this.contentType = contentType;
        this.metricsUrl = metricsUrl;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** One request, to check the URL works before the timed runs; returns status and body. */
    public HttpResponse<String> probe() throws IOException, InterruptedException {
        return client.send(request(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Runs {@code concurrency} clients for {@code warmup + seconds}; only requests started after
     * the warm-up count. {@code tick} is called about once a second with the seconds elapsed.
     */
    public Result run(int concurrency, double seconds, double warmup, LongConsumer tick) throws InterruptedException {
        if (concurrency < 1 || concurrency > 1024) throw new IllegalArgumentException("concurrency must be 1..1024, got " + concurrency);
        if (!(seconds > 0)) throw new IllegalArgumentException("seconds must be > 0");
        ServerStats before = ServerStats.fetch(client, metricsUrl);
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmup * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "loadtest-client");
            t.setDaemon(true);
            return t;
        });
        List<Future<Worker>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < concurrency; i++) {
                Worker w = new Worker(measureFrom, end);
                futures.add(pool.submit(() -> { w.loop(); return w; }));
            }
            long elapsed = 0;
            while (System.nanoTime() < end) {
                Thread.sleep(Math.max(1, Math.min(1000, (end - System.nanoTime()) / 1_000_000)));
                long now = (System.nanoTime() - start) / 1_000_000_000L;
                if (now > elapsed) tick.accept(elapsed = now);
            }
            List<Worker> done = new ArrayList<>();
            for (Future<Worker> f : futures) {
                try {
                    done.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("load client failed: " + e.getCause(), e.getCause());
                }
            }
            return summarise(concurrency, seconds, done, before, ServerStats.fetch(client, metricsUrl));
        } finally {
            pool.shutdownNow();
        }
    }

    private Result summarise(int concurrency, double seconds, List<Worker> workers, ServerStats before, ServerStats after) {
        int n = workers.stream().mapToInt(w -> w.count).sum();
        double[] all = new double[n];
        int k = 0;
        long errors = 0;
        Map<String, Long> failures = new TreeMap<>();
        for (Worker w : workers) {
            System.arraycopy(w.latencies, 0, all, k, w.count);
            k += w.count;
            errors += w.errors;
            w.failures.forEach((key, v) -> failures.merge(key, v, Long::sum));
        }
        Arrays.sort(all);
        long ok = n - errors;
        return new Result(concurrency, seconds, n, errors, failures, ok / seconds,
                rank(all, 0.5), rank(all, 0.9), rank(all, 0.99), n == 0 ? Double.NaN : all[n - 1], before, after);
    }

    /** Nearest-rank quantile of sorted values; NaN for none. */
    static double rank(double[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        return sorted[Math.max(0, Math.min(sorted.length, (int) Math.ceil(q * sorted.length)) - 1)];
    }

    private HttpRequest request() {
        return HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /** One client thread: sequential requests until the end of the window. */
    private final class Worker {
        final long measureFrom, end;
        double[] latencies = new double[1024];
        int count;
        long errors;
        final Map<String, Long> failures = new TreeMap<>();

        Worker(long measureFrom, long end) {
            this.measureFrom = measureFrom;
            this.end = end;
        }

        void loop() {
            HttpRequest req = request();
            long t0;
            while ((t0 = System.nanoTime()) < end) {
                String failure = null;
                try {
                    HttpResponse<byte[]> r = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
                    if (r.statusCode() != 200) failure = "HTTP " + r.statusCode();
                } catch (IOException e) {
                    failure = e.getClass().getSimpleName();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (t0 < measureFrom) continue;   // warm-up
                if (count == latencies.length) latencies = Arrays.copyOf(latencies, count * 2);
                latencies[count++] = (System.nanoTime() - t0) / 1e6;
                if (failure != null) {
                    errors++;
                    failures.merge(failure, 1L, Long::sum);
                }
            }
        }
    }
}

package dev.lightmark.loadtest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Memory the server reports on its Prometheus endpoint ({@code lightmark serve}'s /metrics):
 * resident set, peak resident set and Java heap in use, in bytes; -1 for what it does not report.
 */
public record ServerStats(long rssBytes, long peakRssBytes, long heapUsedBytes) {
    public static final ServerStats UNKNOWN = new ServerStats(-1, -1, -1);

    /** Reads the metrics URL; {@link #UNKNOWN} when there is none or it cannot be read. */
    public static ServerStats fetch(HttpClient client, URI metrics) {
        if (metrics == null) return UNKNOWN;
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? parse(r.body()) : UNKNOWN;
        } catch (java.io.IOException e) {
            return UNKNOWN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return UNKNOWN;
        }
    }

    /** Picks the three gauges out of Prometheus text. */
    static ServerStats parse(String text) {
        long rss = -1, peak = -1, heap = -1;
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) continue;
            int sp = line.lastIndexOf(' ');
            if (sp < 0) continue;
            String name = line.substring(0, sp).trim();
            long v;
            try {
                v = (long) Double.parseDouble(line.substring(sp + 1).trim());
            } catch (NumberFormatException e) {
                continue;
            }
            switch (name) {
                case "process_resident_memory_bytes" -> rss = v;
                case "process_resident_memory_max_bytes" -> peak = v;
                case "jvm_memory_heap_used_bytes" -> heap = v;
                default -> { }
            }
        }
        return new ServerStats(rss, peak, heap);
    }
}

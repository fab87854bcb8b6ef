package dev.lightmark.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Hole 3 of issue 14, end to end: a real {@code lightmark serve} process stopped with SIGTERM
 * answers its clients, leaves no JVM crash log and exits with the documented status 0.
 */
@Timeout(90)
class ServeProcessTest {
    @TempDir Path dir;

    @Test
    void sigtermStopsTheServerCleanlyWithStatusZero() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "--port", "0", "--threads", "1", "--max-concurrent", "1", "--drain-seconds", "0.2")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        StringBuffer log = new StringBuffer();
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            Pattern listening = Pattern.compile("listening on (http://\\S+)");
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    log.append(line).append('\n');
                    Matcher m = listening.matcher(line);
                    if (m.find()) url.complete(m.group(1));
                }
            } catch (Exception e) {
                url.completeExceptionally(e);
            }
            url.completeExceptionally(new IllegalStateException("server ended: " + log));
        });
        reader.start();
        try {
            String base = url.get(60, TimeUnit.SECONDS);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            p.toHandle().destroy();   // SIGTERM (Process.destroy would also close our end of its output)
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "stopped within a minute:\n" + log);
            reader.join(5000);
            assertEquals(0, p.exitValue(), "exit status after SIGTERM:\n" + log);
            assertTrue(log.toString().contains("lightmark serve: stopped"), log.toString());
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(0, files.filter(f -> f.getFileName().toString().startsWith("hs_err")).count(), "no JVM crash log");
            }
        } finally {
            p.destroyForcibly();
        }
    }
}

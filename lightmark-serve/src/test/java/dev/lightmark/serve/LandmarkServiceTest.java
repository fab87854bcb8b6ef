package dev.lightmark.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.infer.PointCalibration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The HTTP service in-process on an ephemeral port, one worker, 256 KiB bodies, 4 MP images. */
@Timeout(60)
class LandmarkServiceTest {
    private static final Path PHOTO = Path.of("../shared/data/300w/test-common/helen_2968784797_1.jpg");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dir;
    static ModelRegistry models;
    static LandmarkService service;
    static HttpClient http;

    @BeforeAll
    static void start() throws IOException {
        Path copy = dir.resolve("copy.onnx");   // a second model, to pick by name
        try (InputStream in = LandmarkPredictor.class.getResourceAsStream(LandmarkPredictor.BUNDLED)) {
            Files.write(copy, in.readAllBytes());
        }
        // Its point calibration goes with it, as NAME.calibration.json beside the file.
        PointCalibration.forResource(LandmarkPredictor.BUNDLED).save(PointCalibration.besideModel(copy));
        models = ModelRegistry.load(Map.of("copy", copy), null, 1, 0.5f);
        service = LandmarkService.start(ServeOptions.defaults().withMaxBodyBytes(256 * 1024)
                .withConcurrency(1, 300).withMaxPixels(4_000_000), models);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() {
        service.stop();
        models.close();
    }

    @AfterEach
    void noHook() { service.setWorkHook(null); }

    @Test
    void healthModelsAndUnknownPaths() throws Exception {
        JsonNode h = getJson("/health", 200);
        assertEquals("ok", h.get("status").asText());
        assertEquals("default", h.get("defaultModel").asText());
        assertTrue(h.get("memory").get("heapUsedBytes").asLong() > 0);
        assertTrue(h.get("cpu").asText().contains("logical core"), h.toString());
        JsonNode m = getJson("/v1/models", 200);
        java.util.List<String> names = new java.util.ArrayList<>();
        m.get("models").forEach(x -> names.add(x.get("name").asText()));
        assertEquals(java.util.List.of("pfld-300w", "default", "fast", "balanced", "accurate", "video", "copy"), names, "bundled names as in every command");
        assertTrue(m.get("models").get(1).get("description").asText().contains("128 px"), "bundled models say what they are");
        assertTrue(m.get("models").get(6).path("description").isMissingNode(), "a model file has no bundled description");
        assertEquals(68, m.get("models").get(0).get("points").asInt());
        assertTrue(getJson("/nothing", 404).get("error").asText().contains("not found"));
        assertEquals(405, send(HttpRequest.newBuilder(uri("/v1/landmarks")).GET().build()).statusCode());
    }

    @Test
    void findsTheFaceInARealPhotoAsRawBytesAndAsMultipart() throws Exception {
        assumeTrue(Files.exists(PHOTO), PHOTO + " not found (../shared/data absent): skipping");
        byte[] jpeg = Files.readAllBytes(PHOTO);
        JsonNode raw = json(post("/v1/landmarks?detector=AUTO&flip=true", "image/jpeg", jpeg), 200);
        assertEquals(320, raw.get("width").asInt());
        assertEquals(1, raw.get("faces").size(), raw.toString());
        JsonNode face = raw.get("faces").get(0);
        assertEquals(68, face.get("points").size());
        assertTrue(face.get("score").asDouble() > 0.5);
        assertTrue(face.get("box").get("w").asDouble() > 100);
        assertEquals("default", raw.get("model").asText());
        assertTrue(raw.get("timing").get("totalMs").asDouble() > 0);

        JsonNode multi = json(multipart("/v1/landmarks?model=copy", "helen.jpg", jpeg), 200);
        assertEquals("helen.jpg", multi.get("image").asText());
        assertEquals("copy", multi.get("model").asText());
        JsonNode fast = json(post("/v1/landmarks?model=fast", "image/jpeg", jpeg), 200);
        assertEquals(fast.get("faces").get(0).get("points"), multi.get("faces").get(0).get("points"), "same model (PFLD), same points");

        JsonNode oneSided = json(post("/v1/landmarks?flip=false&threshold=0.6&detector=front", "image/jpeg", jpeg), 200);
        assertFalse(oneSided.get("flip").asBoolean());
        assertEquals("FRONT", oneSided.get("detector").asText());
        assertNotEquals(face.get("points"), oneSided.get("faces").get(0).get("points"), "flip changes the points a little");
        assertFalse(json(post("/v1/landmarks", "image/jpeg", jpeg), 200).get("flip").asBoolean(), "the default model runs one pass");

        // Without flip=..., each model runs its own default: the flip test for PFLD and accurate, one pass for balanced.
        assertTrue(json(post("/v1/landmarks?model=fast", "image/jpeg", jpeg), 200).get("flip").asBoolean());
        assertTrue(json(post("/v1/landmarks?model=accurate", "image/jpeg", jpeg), 200).get("flip").asBoolean());
        assertFalse(json(post("/v1/landmarks?model=balanced", "image/jpeg", jpeg), 200).get("flip").asBoolean());
        assertTrue(json(post("/v1/landmarks?model=balanced&flip=true", "image/jpeg", jpeg), 200).get("flip").asBoolean());
    }

    @Test
    void aPictureWithoutFacesGivesAnEmptyList() throws Exception {
        JsonNode r = json(post("/v1/landmarks", "image/png", png(320, 240)), 200);
        assertEquals(0, r.get("faces").size());
        JsonNode m = json(multipart("/v1/landmarks", "sky.png", png(100, 80)), 200);
        assertEquals(100, m.get("width").asInt());
    }

    @Test
    void badBodiesGet4xxWithAJsonError() throws Exception {
        assertError(post("/v1/landmarks", "application/octet-stream", "plain text, no image".getBytes()), 400, "not a recognised image");
        byte[] jpeg = jpeg(200, 150);
        assertError(post("/v1/landmarks", "image/jpeg", Arrays.copyOf(jpeg, jpeg.length / 2)), 400, "truncated JPEG");
        assertError(post("/v1/landmarks", "image/jpeg", new byte[0]), 400, "empty body");
        assertError(post("/v1/landmarks", "text/plain", jpeg), 415, "Content-Type");
        assertError(multipart("/v1/landmarks", "x.bin", new byte[]{1, 2, 3}), 400, "not a recognised image");
        HttpRequest wrongField = HttpRequest.newBuilder(uri("/v1/landmarks"))
                .header("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofString("--b\r\nContent-Disposition: form-data; name=\"photo\"\r\n\r\nxyz\r\n--b--\r\n")).build();
        assertError(send(wrongField), 400, "no file field named 'image'");
        HttpRequest brokenMultipart = HttpRequest.newBuilder(uri("/v1/landmarks"))
                .header("Content-Type", "multipart/form-data; boundary=b").POST(HttpRequest.BodyPublishers.ofString("garbage")).build();
        assertError(send(brokenMultipart), 400, "multipart");
    }

    @Test
    void badParametersAndUnknownModels() throws Exception {
        byte[] img = png(64, 64);
        assertError(post("/v1/landmarks?model=nope", "image/png", img), 404, "unknown model 'nope'");
        assertError(post("/v1/landmarks?detector=SIDE", "image/png", img), 400, "detector");
        assertError(post("/v1/landmarks?threshold=1.5", "image/png", img), 400, "threshold");
        assertError(post("/v1/landmarks?threshold=abc", "image/png", img), 400, "threshold");
        assertError(post("/v1/landmarks?flip=maybe", "image/png", img), 400, "flip");
    }

    @Test
    void oversizedBodiesAndImagesGet413() throws Exception {
        // Small enough to sit in socket buffers, so the client finishes sending before the early 413.
        // (JDK 17's client hangs on Expect: 100-continue answered with a final status, so no expectContinue.)
        byte[] big = new byte[300 * 1024];
        HttpRequest declared = HttpRequest.newBuilder(uri("/v1/landmarks")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(big)).build();
        assertError(send(declared), 413, "limit");
        HttpRequest chunked = HttpRequest.newBuilder(uri("/v1/landmarks")).timeout(Duration.ofSeconds(20)).header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
        assertError(send(chunked), 413, "limit");
        assertError(post("/v1/landmarks", "image/png", png(2500, 2000)), 413, "pixel limit");
        assertEquals("ok", getJson("/health", 200).get("status").asText(), "still serving");
    }

    @Test
    void busyWorkersGive503WithRetryAfter() throws Exception {
        CountDownLatch entered = new CountDownLatch(1), release = new CountDownLatch(1);
        service.setWorkHook(() -> {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long rejectedBefore = service.metrics().rejected.sum();
        byte[] img = png(64, 64);
        CompletableFuture<HttpResponse<String>> first = http.sendAsync(postRequest("/v1/landmarks", "image/png", img),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(entered.await(10, TimeUnit.SECONDS), "first request reached the worker");
        service.setWorkHook(null);
        HttpResponse<String> second = post("/v1/landmarks", "image/png", img);
        assertError(second, 503, "busy");
        assertEquals("1", second.headers().firstValue("Retry-After").orElse(null));
        assertEquals(rejectedBefore + 1, service.metrics().rejected.sum());
        release.countDown();
        assertEquals(200, first.get(10, TimeUnit.SECONDS).statusCode());
    }

    @Test
    void metricsCountRequestsByStatus() throws Exception {
        ServiceMetrics m = service.metrics();
        long ok = m.count("/v1/landmarks", 200), bad = m.count("/v1/landmarks", 400);
        post("/v1/landmarks", "image/png", png(64, 64));
        post("/v1/landmarks", "image/png", new byte[]{1, 2, 3});
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/metrics")).GET().build());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        String text = r.body();
        assertTrue(text.contains("lightmark_http_requests_total{route=\"/v1/landmarks\",status=\"200\"} " + (ok + 1) + ".0"), text);
        assertTrue(text.contains("lightmark_http_requests_total{route=\"/v1/landmarks\",status=\"400\"} " + (bad + 1) + ".0"), text);
        assertTrue(text.matches("(?s).*lightmark_landmarks_latency_seconds\\{quantile=\"0.99\"} [0-9.E-]+\n.*"), text);
        assertTrue(text.contains("lightmark_in_flight_requests 0"), text);
        assertTrue(text.matches("(?s).*\nprocess_resident_memory_bytes [1-9][0-9.E]*\n.*"), text);
    }

    // ---- helpers ----

    static URI uri(String path) { return URI.create(service.baseUrl() + path); }

    static HttpResponse<String> send(HttpRequest r) throws IOException, InterruptedException {
        return http.sendAsync(r, HttpResponse.BodyHandlers.ofString()).orTimeout(30, TimeUnit.SECONDS).join();
    }

    static HttpRequest postRequest(String path, String type, byte[] body) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    static HttpResponse<String> post(String path, String type, byte[] body) throws IOException, InterruptedException {
        return send(postRequest(path, type, body));
    }

    static HttpResponse<String> multipart(String path, String filename, byte[] content) throws IOException, InterruptedException {
        String boundary = "lightmark-test-boundary";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        b.write(content);
        b.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(b.toByteArray())).build());
    }

    static JsonNode json(HttpResponse<String> r, int status) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        return JSON.readTree(r.body());
    }

    static JsonNode getJson(String path, int status) throws Exception {
        return json(send(HttpRequest.newBuilder(uri(path)).GET().build()), status);
    }

    static void assertError(HttpResponse<String> r, int status, String text) throws IOException {
        JsonNode j = json(r, status);
        assertTrue(j.get("error").asText().contains(text), j.toString());
    }

    static byte[] png(int w, int h) throws IOException { return encode(w, h, "png"); }

    static byte[] jpeg(int w, int h) throws IOException { return encode(w, h, "jpg"); }

    private static byte[] encode(int w, int h, String format) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(90, 120, 160));
        g.fillRect(0, 0, w, h);
        g.setColor(Color.WHITE);
        g.fillOval(w / 4, h / 4, w / 2, h / 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out));
        return out.toByteArray();
    }
}

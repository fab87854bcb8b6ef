package dev.lightmark.serve;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Stopping the service lets a running request finish and turns new ones away. */
@Timeout(60)
class GracefulShutdownTest {
    @Test
    void aRunningRequestFinishesWhileNewOnesAreRefused() throws Exception {
        try (ModelRegistry models = ModelRegistry.load(Map.of(), null, 1, 0.5f)) {
            LandmarkService service = LandmarkService.start(ServeOptions.defaults(), models);
            CountDownLatch entered = new CountDownLatch(1), release = new CountDownLatch(1);
            service.setWorkHook(() -> {
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI url = URI.create(service.baseUrl() + "/v1/landmarks");
            HttpRequest req = HttpRequest.newBuilder(url).header("Content-Type", "image/png")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(LandmarkServiceTest.png(64, 64))).build();
            CompletableFuture<HttpResponse<String>> running = http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
            assertTrue(entered.await(10, TimeUnit.SECONDS));

            Thread stopper = new Thread(service::stop);
            stopper.start();
            for (int i = 0; i < 200 && !service.isDraining(); i++) Thread.sleep(5);
            assertTrue(service.isDraining());
            Thread.sleep(50);   // let the listening socket close
            HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            try {
                HttpResponse<String> late = fresh.send(req, HttpResponse.BodyHandlers.ofString());
                assertEquals(503, late.statusCode(), "a request during shutdown is refused: " + late.body());
            } catch (IOException refused) {
                // connection refused: the listener is closed, as intended
            }
            Thread.sleep(1500);   // longer than Jetty's shutdown idle timeout (1 s): the running request must survive it
            assertTrue(stopper.isAlive(), "stop waits for the running request");

            release.countDown();
            HttpResponse<String> done = running.get(10, TimeUnit.SECONDS);
            assertEquals(200, done.statusCode(), done.body());
            stopper.join(10_000);
            assertFalse(stopper.isAlive(), "stop returned after the request finished");
        }
    }
}

package dev.lightmark.cli;

import dev.lightmark.serve.LandmarkService;
import dev.lightmark.serve.ModelRegistry;
import dev.lightmark.serve.ServeOptions;
import dev.lightmark.testdata.CliRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `lightmark loadtest` against the service in-process on an ephemeral port. */
@Timeout(60)
class LoadTestCommandTest {
    @TempDir static Path dir;
    static ModelRegistry models;
    static LandmarkService service;

    @BeforeAll
    static void start() throws IOException {
        models = ModelRegistry.load(Map.of(), null, 1, 0.5f);
        service = LandmarkService.start(ServeOptions.defaults().withConcurrency(1, 300), models);
    }

    @AfterAll
    static void stop() {
        service.stop();
        models.close();
    }

    @Test
    void loadTestCommandMeasuresTheService() throws Exception {
        Path img = dir.resolve("load.png");
        Files.write(img, png(160, 120));
        CliRunner.Run r = CliRunner.run("loadtest", "--url", service.baseUrl() + "/v1/landmarks?detector=front",
                "--image", img.toString(), "--concurrency", "1,2", "--seconds", "1", "--warmup", "0");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| concurrency | requests | req/s |"), r.out());
        String row = r.out().lines().filter(l -> l.startsWith("| 2 |")).findFirst().orElseThrow();
        String[] cells = row.split("\\|");
        assertTrue(Long.parseLong(cells[2].trim()) > 0, row);
        assertFalse(cells[9].contains("?"), "server RSS read from /metrics: " + row);
    }

    static byte[] png(int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }
}

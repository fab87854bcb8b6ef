package dev.lightmark.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The HTTP answer has the same quality fields as detect: predictedNme, doubtful, pose, confidence. */
@Timeout(60)
class TrustFieldsServiceTest {
    private static final Path PHOTO = Path.of("../shared/data/300w/test-common/helen_2968784797_1.jpg");

    @Test
    void landmarksAnswerCarriesQualityFields() throws Exception {
        assumeTrue(Files.exists(PHOTO), PHOTO + " not found (../shared/data absent): skipping");
        try (ModelRegistry models = ModelRegistry.load(Map.of(), null, 1, 0.5f)) {
            LandmarkService service = LandmarkService.start(ServeOptions.defaults().withPort(0), models);
            try {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                for (String flip : new String[]{"true", "false"}) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/v1/landmarks?flip=" + flip))
                            .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(PHOTO)))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, r.statusCode(), r.body());
                    JsonNode face = new ObjectMapper().readTree(r.body()).get("faces").get(0);
                    assertQualityFields(face);
                }
            } finally {
                service.stop();
            }
        }
    }

    static void assertQualityFields(JsonNode face) {
        assertTrue(face.get("predictedNme").asDouble() > 0 && face.get("predictedNme").asDouble() <= 1);
        assertTrue(face.get("doubtful").isBoolean());
        assertEquals(68, face.get("confidence").size());
        for (JsonNode c : face.get("confidence")) assertTrue(c.asDouble() >= 0 && c.asDouble() <= 1);
        assertTrue(face.get("pose").has("yaw") && face.get("pose").has("pitch") && face.get("pose").has("roll"));
    }
}

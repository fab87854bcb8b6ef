package dev.lightmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lightmark.testdata.CliRunner;
import dev.lightmark.testdata.SyntheticFaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The quality fields in detect's JSON, the doubtful-face options, and eval's trust report. */
class TrustOutputTest {
    private static final Path PHOTO = Path.of("../shared/data/300w/test-common/helen_2968784797_1.jpg");

    @TempDir Path dir;

    static void assertQualityFields(JsonNode face) {
        double nme = face.get("predictedNme").asDouble();
        assertTrue(nme > 0 && nme <= 1, "predictedNme " + nme);
        assertTrue(face.get("doubtful").isBoolean());
        JsonNode conf = face.get("confidence");
        assertEquals(68, conf.size());
        for (JsonNode c : conf) assertTrue(c.asDouble() >= 0 && c.asDouble() <= 1, "confidence " + c);
        for (String a : List.of("yaw", "pitch", "roll")) {
            double v = face.get("pose").get(a).asDouble();
            assertTrue(v >= -180 && v <= 180, a + " " + v);
        }
    }

    @Test
    void detectGivesQualityFieldsAndDoubtfulFacesAreMarkedOrDropped() throws Exception {
        assumeTrue(Files.exists(PHOTO), PHOTO + " not found (../shared/data absent): skipping");
        ObjectMapper m = new ObjectMapper();
        CliRunner.Run r = CliRunner.run("detect", PHOTO.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode face = m.readTree(r.out()).get("faces").get(0);
        assertQualityFields(face);
        assertFalse(face.get("doubtful").asBoolean(), "a clear frontal face is trusted by default");
        assertTrue(Math.abs(face.get("pose").get("yaw").asDouble()) < 30);

        CliRunner.Run strict = CliRunner.run("detect", PHOTO.toString(), "--max-predicted-nme", "0.001");
        assertTrue(m.readTree(strict.out()).get("faces").get(0).get("doubtful").asBoolean());
        CliRunner.Run dropped = CliRunner.run("detect", PHOTO.toString(), "--max-predicted-nme", "0.001", "--drop-doubtful");
        assertEquals(0, m.readTree(dropped.out()).get("faces").size());

        CliRunner.Run onePass = CliRunner.run("detect", PHOTO.toString(), "--no-flip");
        assertQualityFields(m.readTree(onePass.out()).get("faces").get(0));

        Path folder = dir.resolve("photos");
        Files.createDirectories(folder);
        Files.copy(PHOTO, folder.resolve("a.jpg"));
        Path jsonl = dir.resolve("r.jsonl");
        assertEquals(0, CliRunner.run("detect", folder.toString(), "--out", jsonl.toString()).code());
        assertQualityFields(m.readTree(Files.readAllLines(jsonl).get(0)).get("faces").get(0));
    }

    @Test
    void evalReportsTrustAndHeadTurnBuckets() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 8, 96, 11);
        Path json = dir.resolve("report.json"), plot = dir.resolve("calibration.png");
        CliRunner.Run r = CliRunner.run("eval", "--data", data.toString(), "--json", json.toString(),
                "--calibration-plot", plot.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("predicted NME: Spearman"), r.out());
        assertTrue(r.out().contains("head turn (|yaw| of the ground-truth points):"), r.out());
        assertTrue(r.out().contains("|yaw| < 15"), r.out());
        JsonNode trust = new ObjectMapper().readTree(json.toFile()).get("trust");
        assertEquals(8, trust.get("faces").asInt());
        assertEquals(4, trust.get("yawBuckets").size());
        int n = 0;
        for (JsonNode b : trust.get("yawBuckets")) n += b.get("count").asInt();
        assertEquals(8, n, "every face in one bucket");
        assertTrue(trust.get("poseError").has("yaw"));
        assertTrue(ImageIO.read(plot.toFile()).getWidth() > 400);
    }
}

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

import static org.junit.jupiter.api.Assertions.*;

class EvalCommandTest {
    @TempDir Path dir;

    @Test
    void writesSummaryCedPlotAndPerFaceJson() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 6, 96, 7);
        Files.writeString(data.resolve("broken.pts"), "not a pts file");
        Path ced = dir.resolve("ced.png"), json = dir.resolve("report.json");
        CliRunner.Run r = CliRunner.run("eval", "--data", data.toString(), "--ced", ced.toString(), "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("inter-ocular: "), r.out());
        assertTrue(r.out().contains("(6 faces)"), r.out());
        assertTrue(r.out().matches("(?s).*\nworst faces: [^\n]+ [0-9]+\\.[0-9]{2}%(, [^\n]+ [0-9]+\\.[0-9]{2}%){4}\n.*"), r.out());
        assertEquals(800, ImageIO.read(ced.toFile()).getWidth());
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals(6, report.get("faces").asInt());
        assertEquals(6, report.get("interOcular").get("faces").size());
    }

    @Test
    void unknownBoxModeIsAClearError() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("d2"), 1, 64, 8);
        CliRunner.Run r = CliRunner.run("eval", "--data", data.toString(), "--box", "magic");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--box must be gt or detector"), r.err());
    }
}

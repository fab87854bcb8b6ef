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

    @Test
    void onlyScoresTheListedFacesAndAListOfOtherNamesIsAClearError() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("d3"), 4, 96, 9);
        java.util.List<String> names;
        try (var files = Files.list(data)) {
            names = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".pts"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
        Path two = dir.resolve("two.txt");
        Files.write(two, java.util.List.of(names.get(0), names.get(2)));
        CliRunner.Run r = CliRunner.run("eval", "--data", data.toString(), "--only", two.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("(2 faces)"), r.out());

        Path others = dir.resolve("others.txt");
        Files.write(others, java.util.stream.IntStream.range(0, 30).mapToObj(i -> "stranger" + i).toList());
        r = CliRunner.run("eval", "--data", data.toString(), "--only", others.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no faces to evaluate"), r.err());
        assertEquals(AnnotatedFaces.LISTED_PROBLEMS, r.err().lines().filter(l -> l.contains("is not a usable face")).count(), r.err());
        assertTrue(r.err().contains("10 more, 30 in all"), r.err());
    }
}

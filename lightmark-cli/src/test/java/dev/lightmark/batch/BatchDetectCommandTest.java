package dev.lightmark.batch;

import dev.lightmark.testdata.CliRunner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lightmark.cli.Main;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code lightmark detect DIR --out results.jsonl}: records, bad files, resume, retry. */
class BatchDetectCommandTest {
    private static final Path TEST_COMMON = Path.of("../shared/data/300w/test-common");
    private static final String[] FACES = {"helen_2968784797_1", "helen_3166944042_1", "lfpw_image_0077"};

    /** corrupt.jpg, sub/empty.jpeg, sub/cut.jpg, cut.png */
    private static final int ERRORS = 4;

    @TempDir Path tmp;
    Path dir;
    Path results;
    int images;


    private CliRunner.Run detect(String... extra) {
        List<String> a = new ArrayList<>(List.of("detect", dir.toString(), "--out", results.toString(),
                "--threads", "1", "--detector", "FRONT"));
        a.addAll(Arrays.asList(extra));
        CliRunner.Run r = CliRunner.run(a.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return r;
    }

    private static void png(Path f, Color c) throws Exception {
        BufferedImage img = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(c);
        g.fillRect(0, 0, 96, 64);
        g.setColor(Color.WHITE);
        g.fillOval(20, 10, 30, 30);
        g.dispose();
        Files.createDirectories(f.getParent());
        assertTrue(ImageIO.write(img, f.toString().toLowerCase().endsWith(".bmp") ? "bmp" : "png", f.toFile()));
    }

    @BeforeEach
    void makeFolder() throws Exception {
        dir = tmp.resolve("photos");
        results = tmp.resolve("out/results.jsonl");
        png(dir.resolve("a.png"), Color.BLUE);
        png(dir.resolve("B.PNG"), Color.RED);
        png(dir.resolve("sub/c.png"), Color.GREEN);
        png(dir.resolve("sub/deeper/d.bmp"), Color.GRAY);
        Files.writeString(dir.resolve("notes.txt"), "not an image, not listed");
        // A JPEG header followed by garbage, and an empty file.
        byte[] corrupt = new byte[600];
        for (int i = 0; i < corrupt.length; i++) corrupt[i] = (byte) (i * 37);
        corrupt[0] = (byte) 0xFF; corrupt[1] = (byte) 0xD8; corrupt[2] = (byte) 0xFF; corrupt[3] = (byte) 0xE0;
        Files.write(dir.resolve("corrupt.jpg"), corrupt);
        Files.write(dir.resolve("sub/empty.jpeg"), new byte[0]);
        // A photo-sized JPEG cut off half-way (Java's readers decode it with only a warning),
        // and a PNG that lost its end.
        BufferedImage noise = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        java.util.Random rnd = new java.util.Random(1);
        for (int y = 0; y < 240; y++) for (int x = 0; x < 320; x++) noise.setRGB(x, y, rnd.nextInt());
        ByteArrayOutputStream jpg = new ByteArrayOutputStream();
        ImageIO.write(noise, "jpg", jpg);
        Files.write(dir.resolve("sub/cut.jpg"), Arrays.copyOf(jpg.toByteArray(), jpg.size() / 2));
        byte[] png = Files.readAllBytes(dir.resolve("a.png"));
        Files.write(dir.resolve("cut.png"), Arrays.copyOf(png, png.length - 12));
        images = 8;
        if (Files.isDirectory(TEST_COMMON)) {  // 3 real faces
            for (String n : FACES) {
                Path p = TEST_COMMON.resolve(n + ".jpg");
                if (Files.exists(p)) {
                    Files.createDirectories(dir.resolve("real"));
                    Files.copy(p, dir.resolve("real/" + n + ".jpg"));
                    images++;
                }
            }
        }
    }

    private List<JsonNode> records() throws Exception {
        ObjectMapper m = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        String text = Files.readString(results);
        assertTrue(text.isEmpty() || text.endsWith("\n"), "results end with a complete line");
        for (String line : text.split("\n")) if (!line.isEmpty()) out.add(m.readTree(line));
        return out;
    }

    /** Image path to its record; fails on duplicates. */
    private Map<String, JsonNode> byImage(List<JsonNode> recs) {
        Map<String, JsonNode> map = new HashMap<>();
        for (JsonNode r : recs) assertNull(map.put(r.get("image").asText(), r), "duplicate record for " + r.get("image"));
        return map;
    }

    private void assertComplete(List<JsonNode> recs) throws Exception {
        Map<String, JsonNode> map = byImage(recs);
        assertEquals(images, map.size(), map.keySet().toString());
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".txt")).toList())
                assertTrue(map.containsKey(p.toString()), "record for " + p);
        }
        assertEquals(ERRORS, recs.stream().filter(r -> r.has("error")).count());
    }

    @Test
    void writesOneRecordPerImageAndReportsBadFiles() throws Exception {
        CliRunner.Run r = detect();
        List<JsonNode> recs = records();
        assertEquals(images, recs.size());
        assertComplete(recs);
        // Sorted order, as walked.
        List<String> order = recs.stream().map(n -> n.get("image").asText()).toList();
        assertEquals(order.stream().sorted().toList(), order);
        Map<String, JsonNode> map = byImage(recs);
        assertEquals("empty file (0 bytes)", map.get(dir.resolve("sub/empty.jpeg").toString()).get("error").asText());
        assertFalse(map.get(dir.resolve("corrupt.jpg").toString()).get("error").asText().isBlank());
        assertTrue(map.get(dir.resolve("sub/cut.jpg").toString()).get("error").asText().startsWith("truncated JPEG"));
        assertTrue(map.get(dir.resolve("cut.png").toString()).get("error").asText().startsWith("truncated PNG"));
        JsonNode plain = map.get(dir.resolve("a.png").toString());
        assertEquals(96, plain.get("width").asInt());
        assertEquals(0, plain.get("faces").size());
        assertTrue(plain.has("ms"));
        assertTrue(r.err().contains("skipped: " + dir.resolve("corrupt.jpg")), r.err());
        assertTrue(r.err().contains("done: " + images + " images") && r.err().contains(ERRORS + " errors")
                && r.err().contains("faces/s"), r.err());
    }

    @Test
    void realFacesGetBoxesAndLandmarks() throws Exception {
        assumeTrue(images > 8, "300-W test set not found at " + TEST_COMMON + ": skipping the real-face check");
        detect();
        Map<String, JsonNode> map = byImage(records());
        for (String n : FACES) {
            JsonNode real = map.get(dir.resolve("real/" + n + ".jpg").toString());
            if (real == null) continue;
            assertTrue(real.get("faces").size() >= 1, n + ": a face");
            JsonNode f = real.get("faces").get(0);
            assertEquals(68, f.get("points").size());
            assertTrue(f.has("landmarkBox") && f.get("score").asDouble() > 0.5, f.toString());
            // The points' centre lies inside the detector box.
            double cx = 0, cy = 0;
            for (JsonNode p : f.get("points")) { cx += p.get(0).asDouble() / 68; cy += p.get(1).asDouble() / 68; }
            JsonNode b = f.get("box");
            assertTrue(cx > b.get("x").asDouble() && cx < b.get("x").asDouble() + b.get("w").asDouble()
                    && cy > b.get("y").asDouble() && cy < b.get("y").asDouble() + b.get("h").asDouble(), f.toString());
        }
    }

    @Test
    void resumesAfterAKillMidLineWithoutLossOrDuplicates() throws Exception {
        detect("--decode-threads", "2");
        List<String> lines = Files.readAllLines(results);
        // Killed while writing the last record: half of its line is in the file.
        String whole = Files.readString(results);
        String last = lines.get(lines.size() - 1);
        Files.writeString(results, whole.substring(0, whole.length() - 1 - last.length() / 2));
        CliRunner.Run one = detect();
        assertTrue(one.err().contains("dropped an unfinished last line") && one.err().contains("done: 1 images"), one.err());
        assertComplete(records());

        // As if killed while writing record 4: three complete lines and half of the fourth.
        String cut = String.join("\n", lines.subList(0, 3)) + "\n" + lines.get(3).substring(0, lines.get(3).length() / 2);
        Files.writeString(results, cut);
        CliRunner.Run r = detect();
        assertTrue(r.err().contains("dropped an unfinished last line"), r.err());
        assertTrue(r.err().contains("resume: 3 of " + images), r.err());
        assertTrue(r.err().contains("done: " + (images - 3) + " images"), r.err());
        List<JsonNode> recs = records();
        assertEquals(images, recs.size());
        assertComplete(recs);
        // Resumed records equal the ones of the uninterrupted run (apart from timing).
        List<String> again = Files.readAllLines(results);
        assertEquals(withoutMs(lines.stream().sorted().toList()), withoutMs(again.stream().sorted().toList()));

        // Nothing left to do: the file is unchanged; errors are kept unless asked to retry.
        String before = Files.readString(results);
        CliRunner.Run idle = detect();
        assertTrue(idle.err().contains("done: 0 images") && idle.err().contains("--retry-errors"), idle.err());
        assertEquals(before, Files.readString(results));

        CliRunner.Run retry = detect("--retry-errors");
        assertTrue(retry.err().contains("retrying " + ERRORS + " images") && retry.err().contains("done: " + ERRORS + " images"), retry.err());
        List<JsonNode> after = records();
        assertEquals(images, after.size());
        assertComplete(after);
    }

    private static List<String> withoutMs(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll("\"ms\":[0-9.]+", "\"ms\":0")).toList();
    }

    @Test
    void withoutOutTheRecordsGoToStdoutAndASingleImageStillPrintsJson() throws Exception {
        CliRunner.Run r = CliRunner.run("detect", dir.toString(), "--detector", "FRONT");
        assertEquals(0, r.code(), r.err());
        assertEquals(images, r.out().lines().count());

        Path one = dir.resolve("a.png");
        CliRunner.Run single = CliRunner.run("detect", one.toString(), "--detector", "FRONT", "--out", results.toString());
        assertEquals(0, single.code(), single.err());
        assertEquals(96, new ObjectMapper().readTree(single.out()).get("width").asInt());
        CliRunner.Run twice = CliRunner.run("detect", one.toString(), "--detector", "FRONT", "--out", results.toString());
        assertEquals(0, twice.code(), twice.err());
        List<JsonNode> recs = records();
        assertEquals(1, recs.size(), "a repeated single image replaces its record");
        assertEquals(one.toString(), recs.get(0).get("image").asText());

        CliRunner.Run overlay = CliRunner.run("detect", dir.toString(), "--overlay", tmp.resolve("o.png").toString());
        assertEquals(1, overlay.code());
        assertTrue(overlay.err().contains("single image"), overlay.err());
    }
}

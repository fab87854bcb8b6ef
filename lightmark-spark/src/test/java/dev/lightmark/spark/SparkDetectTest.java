package dev.lightmark.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class SparkDetectTest {
    @TempDir Path dir;

    private final SparkSession spark = TestSpark.session();

    @Test
    void parquetAndJsonlEqualDetectOnTheSame20Images() throws Exception {
        Path images = dir.resolve("images");
        TestSpark.copyImages("300w/test-common", 10, images.resolve("300w"));
        TestSpark.copyImages("ytf68/test", 10, images.resolve("ytf68"));
        List<ObjectNode> detect = TestSpark.detectDir(images);
        assertEquals(20, detect.size());

        String parquet = dir.resolve("out-parquet").toString();
        SparkDetect.Summary s = SparkDetect.run(spark, SparkDetect.Options.of(List.of(images.toString()), parquet), TestSpark.QUIET);
        assertEquals(20, s.images());
        assertEquals(0, s.errors());
        Map<String, List<Row>> byImage = spark.read().parquet(parquet).collectAsList().stream()
                .collect(Collectors.groupingBy(r -> r.getAs("image"), TreeMap::new, Collectors.toList()));
        assertEquals(20, byImage.size());
        int faces = 0;
        for (ObjectNode d : detect) {
            String key = TestSpark.uri(Path.of(d.get("image").asText()));
            List<Row> rows = byImage.get(key);
            assertNotNull(rows, key + " missing from " + byImage.keySet());
            assertFaceRowsEqual(d, rows);
            faces += d.get("faces").size();
        }
        assertEquals(faces, s.faces());
        assertTrue(faces >= 20, "found " + faces + " faces in 20 one-face crops");

        // JSONL: detect's own records, equal but for the pipeline time and the path spelling.
        String jsonl = dir.resolve("out-jsonl").toString();
        SparkDetect.run(spark, SparkDetect.Options.of(List.of(images.toString()), jsonl).withFormat(SparkDetect.Format.JSONL),
                TestSpark.QUIET);
        Map<String, JsonNode> lines = new HashMap<>();
        for (Row r : spark.read().text(jsonl).collectAsList()) {
            ObjectNode n = (ObjectNode) TestSpark.JSON.readTree(r.getString(0));
            n.remove("ms");
            assertNull(lines.put(n.get("image").asText(), n), "duplicate line");
        }
        assertEquals(20, lines.size());
        for (ObjectNode d : detect) {
            ObjectNode want = d.deepCopy();
            want.remove("ms");
            want.put("image", TestSpark.uri(Path.of(d.get("image").asText())));
            assertEquals(want, lines.get(want.get("image").asText()));
        }
    }

    /** Every field of detect's record in the Parquet rows of one image. */
    static void assertFaceRowsEqual(ObjectNode d, List<Row> rows) {
        JsonNode faces = d.get("faces");
        assertEquals(Math.max(1, faces.size()), rows.size());
        rows.sort((a, b) -> Integer.compare(a.isNullAt(a.fieldIndex("face")) ? -1 : a.<Integer>getAs("face"),
                b.isNullAt(b.fieldIndex("face")) ? -1 : b.<Integer>getAs("face")));
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            assertNull(r.getAs("error"));
            assertEquals(d.get("width").asInt(), r.<Integer>getAs("width"));
            assertEquals(d.get("height").asInt(), r.<Integer>getAs("height"));
            assertEquals(faces.size(), r.<Integer>getAs("faces"));
            if (faces.isEmpty()) {
                assertTrue(r.isNullAt(r.fieldIndex("face")));
                continue;
            }
            JsonNode f = faces.get(i);
            assertEquals(i, r.<Integer>getAs("face"));
            assertEquals(f.get("score").asDouble(), r.<Double>getAs("score"));
            assertBox(f.get("box"), r.getAs("box"));
            assertBox(f.get("landmarkBox"), r.getAs("landmarkBox"));
            assertEquals(f.has("predictedNme") ? f.get("predictedNme").asDouble() : null, r.<Double>getAs("predictedNme"));
            assertEquals(f.has("doubtful") ? f.get("doubtful").asBoolean() : null, r.<Boolean>getAs("doubtful"));
            if (f.has("pose")) {
                Row pose = r.getAs("pose");
                assertEquals(f.get("pose").get("yaw").asDouble(), pose.<Double>getAs("yaw"));
                assertEquals(f.get("pose").get("pitch").asDouble(), pose.<Double>getAs("pitch"));
                assertEquals(f.get("pose").get("roll").asDouble(), pose.<Double>getAs("roll"));
            } else {
                assertNull(r.getAs("pose"));
            }
            if (f.has("confidence")) {
                List<Double> c = r.getList(r.fieldIndex("confidence"));
                for (int k = 0; k < c.size(); k++) assertEquals(f.get("confidence").get(k).asDouble(), c.get(k));
                assertEquals(f.get("confidence").size(), c.size());
            }
            assertNull(r.getAs("extra"), "every field of detect's record has its column");
            List<Row> pts = r.getList(r.fieldIndex("points"));
            assertEquals(f.get("points").size(), pts.size());
            for (int k = 0; k < pts.size(); k++) {
                assertEquals(f.get("points").get(k).get(0).asDouble(), pts.get(k).getDouble(0), "x of point " + k);
                assertEquals(f.get("points").get(k).get(1).asDouble(), pts.get(k).getDouble(1), "y of point " + k);
            }
        }
    }

    private static void assertBox(JsonNode b, Row r) {
        assertEquals(b.get("x").asDouble(), r.<Double>getAs("x"));
        assertEquals(b.get("y").asDouble(), r.<Double>getAs("y"));
        assertEquals(b.get("w").asDouble(), r.<Double>getAs("w"));
        assertEquals(b.get("h").asDouble(), r.<Double>getAs("h"));
    }

    @Test
    void corruptFilesGiveErrorRowsAndTheJobFinishes() throws Exception {
        Path images = Files.createDirectories(dir.resolve("mixed"));
        BufferedImage plain = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
        var g = plain.createGraphics();
        g.setColor(new Color(90, 140, 200));
        g.fillRect(0, 0, 96, 64);
        g.dispose();
        ImageIO.write(plain, "jpg", images.resolve("plain.jpg").toFile());
        ImageIO.write(plain, "png", images.resolve("Plain Copy.PNG").toFile());
        byte[] jpeg = Files.readAllBytes(images.resolve("plain.jpg"));
        Files.copy(images.resolve("plain.jpg"), images.resolve("odd%20name.jpg"));
        // Spark's file sources give no row for a 0-byte file: it is neither detected nor an error row.
        Files.write(images.resolve("empty.jpg"), new byte[0]);
        Files.write(images.resolve("truncated.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        Files.writeString(images.resolve("notes.png"), "not an image at all");
        Files.writeString(images.resolve("plain.pts"), "version: 1");  // not an image name: not listed

        String out = dir.resolve("out").toString();
        SparkDetect.Summary s = SparkDetect.run(spark, SparkDetect.Options.of(List.of(images.toString()), out), TestSpark.QUIET);
        assertEquals(5, s.images());
        assertEquals(2, s.errors());
        Map<String, Row> rows = spark.read().parquet(out).collectAsList().stream()
                .collect(Collectors.toMap(r -> Path.of(SparkDetect.hadoopPath(r.getAs("image")).toUri()).getFileName().toString(), r -> r));
        assertEquals(Set.of("plain.jpg", "Plain Copy.PNG", "odd%20name.jpg", "truncated.jpg", "notes.png"), rows.keySet());
        assertEquals(0, rows.get("plain.jpg").<Integer>getAs("faces"));
        assertEquals(0, rows.get("odd%20name.jpg").<Integer>getAs("faces"));
        assertEquals(96, rows.get("Plain Copy.PNG").<Integer>getAs("width"));

        // The same error texts as detect DIR.
        Map<String, String> detectErrors = new HashMap<>();
        for (ObjectNode d : TestSpark.detectDir(images))
            if (d.has("error")) detectErrors.put(Path.of(d.get("image").asText()).getFileName().toString(), d.get("error").asText());
        assertEquals(Set.of("empty.jpg", "truncated.jpg", "notes.png"), detectErrors.keySet());
        detectErrors.remove("empty.jpg");
        for (var e : detectErrors.entrySet()) {
            Row r = rows.get(e.getKey());
            assertEquals(e.getValue(), r.getAs("error"), e.getKey());
            assertTrue(r.isNullAt(r.fieldIndex("width")) && r.isNullAt(r.fieldIndex("faces")));
        }
    }

    @Test
    void aRerunAfterPartialOutputAddsOnlyWhatIsMissing() throws Exception {
        Path images = dir.resolve("images");
        TestSpark.copyImages("300w/test-common", 10, images.resolve("first"));
        TestSpark.copyImages("ytf68/test", 10, images.resolve("second"));
        String out = dir.resolve("out").toString();

        SparkDetect.Summary first = SparkDetect.run(spark,
                SparkDetect.Options.of(List.of(images.resolve("first").toString()), out), TestSpark.QUIET);
        assertEquals(10, first.images());
        Set<Path> firstFiles = dataFiles(Path.of(out));
        List<Row> firstRows = spark.read().parquet(out).collectAsList();

        // A run killed after its tasks committed leaves their files in _temporary; they must not
        // end up in the output next to the same images done again.
        Path stale = Files.createDirectories(Path.of(out, "_temporary", "0", "task_202611290000_0001_m_000000"));
        Files.copy(firstFiles.iterator().next(), stale.resolve("part-99999-stale.snappy.parquet"));

        SparkDetect.Summary second = SparkDetect.run(spark,
                SparkDetect.Options.of(List.of(images.toString()), out).withChunkImages(4), TestSpark.QUIET);
        assertEquals(20, second.listed());
        assertEquals(10, second.skipped());
        assertEquals(10, second.images());
        assertEquals(3, second.chunks());
        assertFalse(Files.exists(Path.of(out, "_temporary")));
        assertTrue(dataFiles(Path.of(out)).containsAll(firstFiles), "the first run's files stay as they were");

        List<Row> all = spark.read().parquet(out).collectAsList();
        Set<String> images20 = all.stream().map(r -> r.<String>getAs("image")).collect(Collectors.toSet());
        assertEquals(20, images20.size());
        Set<String> keys = new HashSet<>();
        for (Row r : all) assertTrue(keys.add(r.getAs("image") + "#" + r.getAs("face")), "duplicate row " + r);
        assertTrue(all.containsAll(firstRows));

        SparkDetect.Summary third = SparkDetect.run(spark, SparkDetect.Options.of(List.of(images.toString()), out), TestSpark.QUIET);
        assertEquals(20, third.skipped());
        assertEquals(0, third.images());
        assertEquals(all.size(), spark.read().parquet(out).count());

        // An output of the other format is refused instead of resumed wrongly.
        var e = assertThrows(java.io.IOException.class, () -> SparkDetect.run(spark,
                SparkDetect.Options.of(List.of(images.toString()), out).withFormat(SparkDetect.Format.JSONL), TestSpark.QUIET));
        assertTrue(e.getMessage().contains("--format"), e.getMessage());
    }

    private static Set<Path> dataFiles(Path out) throws Exception {
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).collect(Collectors.toSet());
        }
    }
}

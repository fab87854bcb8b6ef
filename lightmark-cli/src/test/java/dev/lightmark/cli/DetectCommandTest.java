package dev.lightmark.cli;

import dev.lightmark.testdata.CliRunner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DetectCommandTest {
    private static final Path TEST_COMMON = Path.of("../shared/data/300w/test-common");

    @TempDir Path dir;


    @Test
    void aPhotoWithoutFacesGivesAnEmptyList() throws Exception {
        BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(90, 120, 160));
        g.fillRect(0, 0, 640, 480);
        g.dispose();
        Path f = dir.resolve("sky.png");
        ImageIO.write(img, "png", f.toFile());
        CliRunner.Run r = CliRunner.run("detect", f.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(0, json.get("faces").size());
        assertEquals(640, json.get("width").asInt());
    }

    @Test
    void badInputsGiveOneClearError() throws Exception {
        CliRunner.Run missing = CliRunner.run("detect", dir.resolve("nope.jpg").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("nope.jpg") && missing.err().contains("not found"), missing.err());
        Path junk = dir.resolve("junk.jpg");
        Files.writeString(junk, "plain text");
        CliRunner.Run bad = CliRunner.run("detect", junk.toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().startsWith("error: ") && bad.err().contains("junk.jpg"), bad.err());
    }

    @Test
    void findsEveryFaceInAGroupPhotoAndDrawsThem() throws Exception {
        assumeTrue(Files.isDirectory(TEST_COMMON), "300-W test set not found at " + TEST_COMMON + ": skipping");
        // Three test faces side by side on one canvas.
        String[] names = {"helen_2968784797_1", "helen_3166944042_1", "lfpw_image_0077"};
        BufferedImage canvas = new BufferedImage(960, 320, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        for (int i = 0; i < names.length; i++) {
            Path p = TEST_COMMON.resolve(names[i] + ".jpg");
            assumeTrue(Files.exists(p), p + " missing");
            g.drawImage(ImageIO.read(p.toFile()), i * 320, 0, null);
        }
        g.dispose();
        Path group = dir.resolve("group.png");
        ImageIO.write(canvas, "png", group.toFile());
        Path overlay = dir.resolve("overlay.png");
        CliRunner.Run r = CliRunner.run("detect", group.toString(), "--overlay", overlay.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode faces = new ObjectMapper().readTree(r.out()).get("faces");
        assertTrue(faces.size() >= 3, "faces found: " + faces.size());
        for (JsonNode f : faces) assertEquals(68, f.get("points").size());
        BufferedImage drawn = ImageIO.read(overlay.toFile());
        assertEquals(960, drawn.getWidth());
    }
}

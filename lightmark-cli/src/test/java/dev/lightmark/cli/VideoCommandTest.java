package dev.lightmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lightmark.data.PtsFormat;
import dev.lightmark.eval.Nme;
import dev.lightmark.eval.Normalizer;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.testdata.CliRunner;
import dev.lightmark.testdata.SyntheticFaces;
import dev.lightmark.video.VideoFrame;
import dev.lightmark.video.VideoReader;
import dev.lightmark.video.VideoWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class VideoCommandTest {
    private static final Path TEST_COMMON = Path.of("../shared/data/300w/test-common");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    /** {@code frames} frames of {@code picture} on a grey canvas, moving 2 px right and 1 px down per frame. */
    private Path movingClip(BufferedImage picture, int width, int height, int frames) throws Exception {
        Path f = dir.resolve("clip.mp4");
        try (VideoWriter w = VideoWriter.open(f, width, height, 25)) {
            for (int i = 0; i < frames; i++) {
                BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = img.createGraphics();
                g.setColor(java.awt.Color.GRAY);
                g.fillRect(0, 0, width, height);
                g.drawImage(picture, 10 + 2 * i, 8 + i, null);
                g.dispose();
                w.write(img);
            }
        }
        return f;
    }

    @Test
    void writesOneJsonLinePerFrameAndTheDrawnVideo() throws Exception {
        Path faces = SyntheticFaces.write(dir.resolve("faces"), 1, 96, 1);
        Path clip = movingClip(ImageIO.read(faces.resolve("face_000.png").toFile()), 160, 120, 12);
        Path out = dir.resolve("out.mp4"), json = dir.resolve("points.jsonl");
        CliRunner.Run r = CliRunner.run("video", clip.toString(), "--out", out.toString(), "--json", json.toString(),
                "--threads", "1", "--detector", "FRONT");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("12 frames") && r.err().contains("frames/s"), r.err());
        List<String> lines = Files.readAllLines(json);
        assertEquals(12, lines.size());
        double lastTime = -1;
        for (int i = 0; i < 12; i++) {
            JsonNode n = JSON.readTree(lines.get(i));
            assertEquals(i, n.get("frame").asInt());
            assertTrue(n.get("time").asDouble() > lastTime);
            lastTime = n.get("time").asDouble();
            assertTrue(n.get("faces").isArray());
        }
        assertEquals(11 / 25.0, lastTime, 1e-3);
        try (VideoReader v = VideoReader.open(out)) {
            assertEquals(160, v.width());
            assertEquals(120, v.height());
            int n = 0;
            while (v.read() != null) n++;
            assertEquals(12, n);
        }
    }

    @Test
    void badInputsGiveOneClearError() throws Exception {
        CliRunner.Run missing = CliRunner.run("video", dir.resolve("nope.mp4").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().startsWith("error: ") && missing.err().contains("nope.mp4"), missing.err());
        Path junk = dir.resolve("junk.mp4");
        Files.writeString(junk, "not a video");
        CliRunner.Run bad = CliRunner.run("video", junk.toString(), "--json", dir.resolve("x.jsonl").toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().startsWith("error: ") && bad.err().contains("junk.mp4"), bad.err());
        CliRunner.Run badSmooth = CliRunner.run("video", junk.toString(), "--min-cutoff", "0");
        assertEquals(1, badSmooth.code());
        assertTrue(badSmooth.err().contains("minCutoff"), badSmooth.err());
    }

    @Test
    void aRealFaceIsDetectedOnceThenTrackedUnderOneId() throws Exception {
        Path img = TEST_COMMON.resolve("helen_2968784797_1.jpg");
        assumeTrue(Files.exists(img), "300-W test image not found at " + img + ": skipping");
        BufferedImage photo = ImageIO.read(img.toFile());
        Landmarks truth = PtsFormat.read(TEST_COMMON.resolve("helen_2968784797_1.pts"));
        int frames = 15;
        Path clip = movingClip(photo, photo.getWidth() + 60, photo.getHeight() + 30, frames);
        Path json = dir.resolve("points.jsonl");
        CliRunner.Run r = CliRunner.run("video", clip.toString(), "--json", json.toString(), "--detect-every", "0", "--no-smooth");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("detector on 1 frames"), r.err());
        List<String> lines = Files.readAllLines(json);
        assertEquals(frames, lines.size());
        for (int i = 0; i < frames; i++) {
            JsonNode faces = JSON.readTree(lines.get(i)).get("faces");
            assertEquals(1, faces.size(), "frame " + i);
            assertEquals(1, faces.get(0).get("id").asInt());
            assertEquals(i == 0, faces.get(0).get("detected").asBoolean());
            float[] xy = new float[136];
            for (int k = 0; k < 68; k++) {
                xy[2 * k] = (float) faces.get(0).get("points").get(k).get(0).asDouble() - (10 + 2 * i);
                xy[2 * k + 1] = (float) faces.get(0).get("points").get(k).get(1).asDouble() - (8 + i);
            }
            double nme = Nme.of(new Landmarks(xy), truth, Normalizer.INTER_OCULAR);
            assertTrue(nme < 0.08, "frame " + i + " NME " + nme);
        }
        // the jitter command on the same clip prints raw and smoothed jitter
        CliRunner.Run j = CliRunner.run("jitter", clip.toString());
        assertEquals(0, j.code(), j.err());
        assertTrue(j.out().contains("clip.mp4") && j.out().contains("%"), j.out());
        try (VideoReader v = VideoReader.open(clip)) {
            VideoFrame f = v.read();
            assertEquals(0, f.index());
        }
    }
}

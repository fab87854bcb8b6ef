package dev.lightmark.video;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class VideoIoTest {
    @TempDir Path dir;

    /** A white square on grey moving 3 px right per frame. */
    static BufferedImage frame(int i, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.WHITE);
        g.fillRect(10 + 3 * i, 12, 16, 16);
        g.dispose();
        return img;
    }

    @Test
    void writesAndReadsBackFramesWithTimestamps() throws Exception {
        Path f = dir.resolve("clip.mp4");
        try (VideoWriter w = VideoWriter.open(f, 96, 64, 10)) {
            for (int i = 0; i < 12; i++) w.write(frame(i, 96, 64));
            assertEquals(12, w.framesWritten());
        }
        try (VideoReader r = VideoReader.open(f)) {
            assertEquals(96, r.width());
            assertEquals(64, r.height());
            assertEquals(10, r.fps(), 1e-6);
            int n = 0;
            for (VideoFrame vf; (vf = r.read()) != null; n++) {
                assertEquals(n, vf.index());
                assertEquals(n * 0.1, vf.timeSeconds(), 1e-3);
                assertEquals(BufferedImage.TYPE_INT_RGB, vf.image().getType());
                // inside the square is bright, left of it is grey: the motion survived encoding
                assertTrue(luma(vf.image().getRGB(18 + 3 * n, 20)) > 200, "frame " + n);
                assertTrue(luma(vf.image().getRGB(4, 20)) < 160, "frame " + n);
            }
            assertEquals(12, n);
        }
    }

    @Test
    void oddSizesArePaddedToEven() throws Exception {
        Path f = dir.resolve("odd.mkv");
        try (VideoWriter w = VideoWriter.open(f, 45, 33, 5)) {
            w.write(frame(0, 45, 33));
        }
        try (VideoReader r = VideoReader.open(f)) {
            assertEquals(46, r.width());
            assertEquals(34, r.height());
            assertNotNull(r.read());
            assertNull(r.read());
        }
    }

    @Test
    void badFilesGiveMessagesNamingThem() throws Exception {
        IOException missing = assertThrows(IOException.class, () -> VideoReader.open(dir.resolve("nope.mp4")));
        assertTrue(missing.getMessage().contains("not found") && missing.getMessage().contains("nope.mp4"), missing.getMessage());
        Path junk = dir.resolve("junk.mp4");
        Files.writeString(junk, "this is not a video at all");
        IOException bad = assertThrows(IOException.class, () -> VideoReader.open(junk));
        assertTrue(bad.getMessage().contains("junk.mp4"), bad.getMessage());
        Path empty = Files.createFile(dir.resolve("empty.mp4"));
        IOException e = assertThrows(IOException.class, () -> VideoReader.open(empty));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    private static int luma(int rgb) {
        return ((rgb >> 16 & 255) + (rgb >> 8 & 255) + (rgb & 255)) / 3;
    }
}

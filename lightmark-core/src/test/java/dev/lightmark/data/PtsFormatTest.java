package dev.lightmark.data;

import dev.lightmark.landmarks.Landmarks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class PtsFormatTest {
    @TempDir Path dir;

    @Test
    void roundTrip() throws Exception {
        float[] xy = new float[136];
        for (int i = 0; i < xy.length; i++) xy[i] = i + 0.25f;
        Path f = dir.resolve("a.pts");
        PtsFormat.write(f, new Landmarks(xy));
        assertEquals(new Landmarks(xy), PtsFormat.read(f));
    }

    @Test
    void wrongPointCountNamesTheFile() throws Exception {
        Path f = dir.resolve("short.pts");
        Files.writeString(f, "version: 1\nn_points: 68\n{\n1 2\n3 4\n}\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> PtsFormat.read(f));
        assertTrue(e.getMessage().contains("short.pts"), e.getMessage());
        assertTrue(e.getMessage().contains("68"), e.getMessage());
    }

    @Test
    void malformedFilesGiveClearErrors() throws Exception {
        Path noHeader = dir.resolve("x.pts");
        Files.writeString(noHeader, "hello\n");
        assertTrue(assertThrows(DataFormatException.class, () -> PtsFormat.read(noHeader)).getMessage().contains("n_points"));
        Path notNumber = dir.resolve("y.pts");
        Files.writeString(notNumber, "version: 1\nn_points: 1\n{\n1 abc\n}\n");
        assertTrue(assertThrows(DataFormatException.class, () -> PtsFormat.read(notNumber)).getMessage().contains("line 4"));
        Path unclosed = dir.resolve("z.pts");
        Files.writeString(unclosed, "version: 1\nn_points: 1\n{\n1 2\n");
        assertTrue(assertThrows(DataFormatException.class, () -> PtsFormat.read(unclosed)).getMessage().contains("}"));
        assertThrows(DataFormatException.class, () -> PtsFormat.read(dir.resolve("missing.pts")));
    }

    @Test
    void folderSkipsAndReportsBadPairs() throws Exception {
        float[] xy = new float[136];
        PtsFormat.write(dir.resolve("good.pts"), new Landmarks(xy));
        javax.imageio.ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", dir.resolve("good.png").toFile());
        PtsFormat.write(dir.resolve("noimage.pts"), new Landmarks(xy));
        PtsFormat.write(dir.resolve("five.pts"), new Landmarks(new float[10]));
        Files.writeString(dir.resolve("five.png"), "not used");
        PtsFolder.Loaded l = PtsFolder.load(dir, 68);
        assertEquals(1, l.samples().size());
        assertEquals(2, l.problems().size());
        assertTrue(l.problems().stream().anyMatch(p -> p.contains("noimage.pts") && p.contains("no image")));
        assertTrue(l.problems().stream().anyMatch(p -> p.contains("five.pts") && p.contains("expected 68")));
    }
}

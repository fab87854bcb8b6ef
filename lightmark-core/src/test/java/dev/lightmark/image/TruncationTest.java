package dev.lightmark.image;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class TruncationTest {
    private static byte[] encode(String format) throws Exception {
        BufferedImage img = new BufferedImage(200, 150, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 150; y++) for (int x = 0; x < 200; x++) img.setRGB(x, y, (x * 5) << 16 | (y * 3) << 8 | (x ^ y) & 0xFF);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out));
        return out.toByteArray();
    }

    @Test
    void completeFilesPassAndCutOnesAreNamed() throws Exception {
        byte[] jpg = encode("jpg");
        assertNull(Truncation.problem(jpg));
        byte[] withTrailer = Arrays.copyOf(jpg, jpg.length + 100);  // zero padding after the end marker
        assertNull(Truncation.problem(withTrailer));
        for (int cut : new int[]{jpg.length - 2, jpg.length * 2 / 3, jpg.length / 2})
            assertTrue(Truncation.problem(Arrays.copyOf(jpg, cut)).startsWith("truncated JPEG"), "cut at " + cut);
        assertTrue(Truncation.problem(Arrays.copyOf(jpg, 20)).contains("no image data"));

        byte[] png = encode("png");
        assertNull(Truncation.problem(png));
        assertTrue(Truncation.problem(Arrays.copyOf(png, png.length - 12)).startsWith("truncated PNG"));
        assertNull(Truncation.problem("BM not checked".getBytes()));
    }
}

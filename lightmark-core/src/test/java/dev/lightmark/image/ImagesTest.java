package dev.lightmark.image;

import dev.lightmark.data.DataFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class ImagesTest {
    @TempDir Path dir;

    private static byte[] encode(String format) throws Exception {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 48; y++) for (int x = 0; x < 64; x++) img.setRGB(x, y, x * 4 << 16 | y * 5);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        ImageIO.write(img, format, bos);
        return bos.toByteArray();
    }

    @Test
    void readsJpegAndPngAsRgb() throws Exception {
        for (String f : new String[]{"jpg", "png"}) {
            BufferedImage img = Images.decode(encode(f), "x." + f);
            assertEquals(64, img.getWidth());
            assertEquals(BufferedImage.TYPE_INT_RGB, img.getType());
        }
    }

    @Test
    void truncatedAndCorruptFilesGiveErrorsNamingTheFile() throws Exception {
        for (String f : new String[]{"jpg", "png"}) {
            byte[] full = encode(f);
            Path cut = dir.resolve("cut." + f);
            Files.write(cut, Arrays.copyOf(full, full.length / 3));
            DataFormatException e = assertThrows(DataFormatException.class, () -> Images.read(cut));
            assertTrue(e.getMessage().contains("cut." + f), e.getMessage());
        }
        Path text = dir.resolve("notes.jpg");
        Files.writeString(text, "this is not an image");
        assertTrue(assertThrows(DataFormatException.class, () -> Images.read(text)).getMessage().contains("not a recognised image"));
        Path empty = dir.resolve("empty.png");
        Files.write(empty, new byte[0]);
        assertThrows(DataFormatException.class, () -> Images.read(empty));
        assertTrue(assertThrows(DataFormatException.class, () -> Images.read(dir.resolve("nope.png"))).getMessage().contains("not found"));
    }

    @Test
    void hugeImagesAreRefusedBeforeDecoding() throws Exception {
        // A PNG header claiming 20000 x 20000 pixels; the body is never decoded.
        byte[] png = encode("png");
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(png);
        b.putInt(16, 20000);
        b.putInt(20, 20000);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Images.decode(png, "huge.png"));
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
    }

    @Test
    void zeroSizeAndCorruptHeadersAreRefused() throws Exception {
        byte[] png = encode("png");
        java.nio.ByteBuffer.wrap(png).putInt(16, 0);   // IHDR width 0
        assertThrows(DataFormatException.class, () -> Images.decode(png, "zero.png"));

        // JPEG magic followed by garbage: recognised as JPEG, then refused while reading it.
        byte[] fake = new byte[4096];
        new java.util.Random(1).nextBytes(fake);
        fake[0] = (byte) 0xFF; fake[1] = (byte) 0xD8; fake[2] = (byte) 0xFF;
        fake[fake.length - 2] = (byte) 0xFF; fake[fake.length - 1] = (byte) 0xD9;
        DataFormatException e = assertThrows(DataFormatException.class, () -> Images.decode(fake, "garbage.jpg"));
        assertTrue(e.getMessage().contains("garbage.jpg"), e.getMessage());

        // A real JPEG whose frame header (SOF) is overwritten.
        byte[] jpg = encode("jpg");
        for (int i = 2; i + 1 < jpg.length; i++)
            if ((jpg[i] & 0xFF) == 0xFF && (jpg[i + 1] & 0xFF) == 0xC0) {
                for (int j = i + 2; j < i + 12 && j < jpg.length; j++) jpg[j] = 0;
                break;
            }
        assertThrows(DataFormatException.class, () -> Images.decode(jpg, "badsof.jpg"));
    }
}

package dev.lightmark.image;

import dev.lightmark.testdata.HostileImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.*;

/** Hole 1 of issue 14: a progressive JPEG with thousands of scans is refused before decoding. */
@Timeout(30)
class JpegScansTest {
    @Test
    void countsTheScansOfOrdinaryJpegs() {
        JpegScans.Structure baseline = JpegScans.read(HostileImages.jpeg(64, 48, false));
        assertEquals(1, baseline.scans());
        assertFalse(baseline.progressive());
        assertEquals(64, baseline.width());
        assertEquals(48, baseline.height());
        JpegScans.Structure progressive = JpegScans.read(HostileImages.jpeg(64, 48, true));
        assertEquals(10, progressive.scans(), "libjpeg's standard progression for colour images");
        assertTrue(progressive.progressive());
        assertNull(JpegScans.read(new byte[]{1, 2, 3, 4}), "not a JPEG");
    }

    @Test
    void markersInsideSegmentsAreNotScans() throws Exception {
        // An APP1 segment carrying a whole JPEG (as an EXIF thumbnail does): its scans are not the image's.
        byte[] thumb = HostileImages.scanBomb(16, 16, 200), main = HostileImages.jpeg(64, 48, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(main, 0, 2);
        int len = thumb.length + 2;
        out.write(new byte[]{(byte) 0xFF, (byte) 0xE1, (byte) (len >> 8), (byte) len});
        out.write(thumb);
        out.write(main, 2, main.length - 2);
        byte[] withThumb = out.toByteArray();
        assertEquals(1, JpegScans.read(withThumb).scans());
        assertNull(JpegScans.problem(withThumb, 1_000_000));
    }

    @Test
    void aScanBombIsRefusedBeforeDecoding() {
        byte[] bomb = HostileImages.scanBomb(1000, 1000, 2000);   // ~30 KB, ~6 s to decode on 2 busy cores
        assertEquals(2010, JpegScans.read(bomb).scans());
        long t0 = System.nanoTime();
        ImageTooLargeException e = assertThrows(ImageTooLargeException.class, () -> Images.decode(bomb, "bomb.jpg", 25_000_000));
        assertTrue((System.nanoTime() - t0) / 1e6 < 1000, "refused from the markers, not after decoding");
        assertTrue(e.getMessage().contains("bomb.jpg") && e.getMessage().contains("2010 scans"), e.getMessage());
    }

    @Test
    void scansCountAgainstThePixelLimit() {
        byte[] many = HostileImages.scanBomb(1000, 1000, 50);   // 60 scans of 1 MP
        assertNull(JpegScans.problem(many, 25_000_000), "60 MP-scans is within 16 x 25 MP");
        assertTrue(JpegScans.problem(many, 2_000_000).contains("16 scans"), "but not within 16 x 2 MP");
        BufferedImage ok = Images.decode(HostileImages.jpeg(1000, 1000, true), "fine.jpg", 2_000_000);
        assertEquals(1000, ok.getWidth(), "an ordinary progressive JPEG still decodes");
    }
}

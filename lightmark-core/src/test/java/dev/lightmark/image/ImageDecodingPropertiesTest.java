package dev.lightmark.image;

import dev.lightmark.data.DataFormatException;
import dev.lightmark.testdata.HostileImages;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzing of image decoding (issue 14's abuse suite): damaged and stitched-together JPEGs and
 * PNGs either decode to an RGB image within the pixel limit or give a {@link DataFormatException}
 * naming the input, never another exception; the JPEG marker walk never fails at all.
 */
class ImageDecodingPropertiesTest {
    private static final long MAX_PIXELS = 1_000_000;
    private static final byte[][] SEEDS = {HostileImages.jpeg(48, 32, false), HostileImages.jpeg(48, 32, true), png(48, 32)};

    @Property(tries = 300)
    void damagedImagesDecodeOrGiveACleanError(@ForAll("damagedImages") byte[] bytes) {
        try {
            BufferedImage img = Images.decode(bytes, "fuzz.img", MAX_PIXELS);
            assertEquals(BufferedImage.TYPE_INT_RGB, img.getType());
            assertTrue((long) img.getWidth() * img.getHeight() <= MAX_PIXELS);
        } catch (DataFormatException e) {
            assertTrue(e.getMessage().startsWith("fuzz.img: "), e.getMessage());
        }
    }

    @Property(tries = 500)
    void theMarkerWalkNeverFails(@ForAll @Size(max = 4096) byte[] tail, @ForAll("damagedImages") byte[] damaged) {
        byte[] b = new byte[tail.length + 2];
        b[0] = (byte) 0xFF;
        b[1] = (byte) 0xD8;
        System.arraycopy(tail, 0, b, 2, tail.length);
        for (byte[] x : new byte[][]{b, damaged}) {
            JpegScans.Structure s = JpegScans.read(x);
            if (s != null) assertTrue(s.scans() >= 0 && s.width() >= 0 && s.height() >= 0);
            JpegScans.problem(x, MAX_PIXELS);
        }
    }

    /** One of the seeds with one to three mutations: flipped bytes, a cut, inserted junk, a repeated slice, a changed size field. */
    @Provide
    Arbitrary<byte[]> damagedImages() {
        return Arbitraries.integers().between(0, SEEDS.length - 1)
                .flatMap(seed -> Arbitraries.longs().map(r -> mutate(SEEDS[seed], new Random(r))));
    }

    static byte[] mutate(byte[] seed, Random r) {
        byte[] b = seed.clone();
        int n = 1 + r.nextInt(3);
        for (int m = 0; m < n; m++) {
            switch (r.nextInt(5)) {
                case 0 -> {
                    for (int i = 0, k = 1 + r.nextInt(20); i < k; i++) b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
                }
                case 1 -> b = Arrays.copyOf(b, 2 + r.nextInt(b.length - 1));
                case 2 -> {
                    int at = r.nextInt(b.length + 1), len = 1 + r.nextInt(64);
                    byte[] junk = new byte[len];
                    r.nextBytes(junk);
                    byte[] out = new byte[b.length + len];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(junk, 0, out, at, len);
                    System.arraycopy(b, at, out, at + len, b.length - at);
                    b = out;
                }
                case 3 -> {   // a slice repeated, as a scan bomb repeats a scan
                    int from = r.nextInt(b.length), len = 1 + r.nextInt(Math.min(64, b.length - from)), times = 1 + r.nextInt(300);
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    out.write(b, 0, from + len);
                    for (int t = 0; t < times; t++) out.write(b, from, len);
                    out.write(b, from + len, b.length - from - len);
                    b = out.toByteArray();
                }
                default -> {   // a size field: JPEG SOF height/width or PNG IHDR
                    int at = b.length > 24 && b[1] == 'P' ? 16 + r.nextInt(8) : indexOfSof(b);
                    if (at >= 0 && at < b.length) b[at] = (byte) r.nextInt(256);
                }
            }
        }
        return b;
    }

    private static int indexOfSof(byte[] b) {
        for (int i = 0; i + 8 < b.length; i++)
            if ((b[i] & 0xFF) == 0xFF && ((b[i + 1] & 0xFF) == 0xC0 || (b[i + 1] & 0xFF) == 0xC2)) return i + 5 + (i % 4);
        return -1;
    }

    private static byte[] png(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, (x * 5) << 16 | (y * 7) << 8 | (x ^ y));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}

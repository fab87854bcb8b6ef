package dev.lightmark.image;

import dev.lightmark.data.DataFormatException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/** Reads images into 8-bit RGB with clear errors and a bound on decoded size. */
public final class Images {
    /** Larger images are refused before decoding, so one file cannot exhaust memory. */
    public static final long MAX_PIXELS = 50_000_000L;

    private Images() {}

    /** Files larger than this are refused before reading. */
    public static final long MAX_FILE_BYTES = 256L << 20;

    public static BufferedImage read(Path file) {
        if (!Files.isRegularFile(file)) throw new DataFormatException(file, "image file not found");
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size == 0) throw new DataFormatException(file, "empty file (0 bytes)");
            if (size > MAX_FILE_BYTES)
                throw new ImageTooLargeException(file, "file is " + size + " bytes, over the " + MAX_FILE_BYTES + "-byte limit");
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot read image: " + e.getMessage(), e);
        }
        return decode(bytes, file.toString());
    }

    /** Decodes image bytes; a JPEG or PNG cut short is an error, not a grey-filled picture. */
    public static BufferedImage decode(byte[] bytes, String name) { return decode(bytes, name, MAX_PIXELS); }

    /**
     * As {@link #decode(byte[], String)} with a lower pixel limit (checked from the header, before
     * decoding); an image over it, or a JPEG whose scan count makes decoding too costly for that
     * limit ({@link JpegScans}), gives {@link ImageTooLargeException}.
     */
    public static BufferedImage decode(byte[] bytes, String name, long maxPixels) {
        if (maxPixels < 1 || maxPixels > MAX_PIXELS)
            throw new IllegalArgumentException("maxPixels must be in 1.." + MAX_PIXELS + ", got " + maxPixels);
        if (bytes.length == 0) throw new DataFormatException(Path.of(name), "empty (0 bytes)");
        String cut = Truncation.problem(bytes);
        if (cut != null) throw new DataFormatException(Path.of(name), cut);
        String costly = JpegScans.problem(bytes, maxPixels);   // scan bombs: refused before decoding
        if (costly != null) throw new ImageTooLargeException(Path.of(name), costly);
        try {
            return decode(new ByteArrayInputStream(bytes), Path.of(name), maxPixels);
        } catch (IOException e) {
            throw new DataFormatException(Path.of(name), "cannot read image: " + e.getMessage(), e);
        }
    }

    private static BufferedImage decode(InputStream in, Path name, long maxPixels) throws IOException {
        try (ImageInputStream iis = ImageIO.createImageInputStream(in)) {
            if (iis == null) throw new DataFormatException(name, "cannot open image stream");
            Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
            if (!readers.hasNext()) throw new DataFormatException(name, "not a recognised image format");
            ImageReader r = readers.next();
            try {
                r.setInput(iis, true, true);
                long w = r.getWidth(0), h = r.getHeight(0);
                if (w <= 0 || h <= 0) throw new DataFormatException(name, "image has zero size");
                if (w * h > maxPixels)
                    throw new ImageTooLargeException(name, "image is " + w + "x" + h + ", over the " + maxPixels + "-pixel limit");
                BufferedImage img = r.read(0);
                return toRgb(img);
            } catch (IOException | RuntimeException e) {
                if (e instanceof DataFormatException d) throw d;
                throw new DataFormatException(name, "corrupt or truncated image: " + e.getMessage(), e);
            } finally {
                r.dispose();
            }
        }
    }

    /** Any image as TYPE_INT_RGB (drops alpha, expands grey and palettes). */
    public static BufferedImage toRgb(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_INT_RGB) return img;
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        var g = rgb.createGraphics();
        g.drawImage(img, 0, 0, null);
        g.dispose();
        return rgb;
    }
}

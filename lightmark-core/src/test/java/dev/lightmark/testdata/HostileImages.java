package dev.lightmark.testdata;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Images made to hurt a decoder, for the abuse tests. */
public final class HostileImages {
    private HostileImages() {}

    /** A plain grey-blue picture with a bright disc, as a JPEG written by ImageIO, progressive or baseline. */
    public static byte[] jpeg(int w, int h, boolean progressive) { return jpeg(w, h, progressive, false); }

    private static byte[] jpeg(int w, int h, boolean progressive, boolean flat) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(120, 130, 140));
        g.fillRect(0, 0, w, h);
        g.setColor(Color.WHITE);
        if (!flat) g.fillOval(w / 4, h / 4, w / 2, h / 2);
        g.dispose();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam p = writer.getDefaultWriteParam();
        if (progressive) p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(bos)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(img, null, null), p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bos.toByteArray();
    }

    /**
     * A JPEG "scan bomb": a flat progressive {@code w x h} JPEG whose last scan (12 bytes) is repeated
     * {@code extraScans} more times before the end-of-image marker. Decoders accept the repeats
     * (a warning at most) and pass over every block for each one: about 3 ms per scan and
     * megapixel on a 2-core machine, so 1000x1000 with 2,000 extra scans takes about 6 s to decode.
     */
    public static byte[] scanBomb(int w, int h, int extraScans) {
        byte[] b = jpeg(w, h, true, true);
        List<Integer> sos = new ArrayList<>();
        for (int i = 0; i + 1 < b.length; i++)
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xDA) sos.add(i);
        int eoi = b.length - 2;
        int last = sos.get(sos.size() - 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + extraScans * (eoi - last));
        out.write(b, 0, eoi);
        for (int r = 0; r < extraScans; r++) out.write(b, last, eoi - last);
        out.write(b, eoi, 2);
        return out.toByteArray();
    }
}

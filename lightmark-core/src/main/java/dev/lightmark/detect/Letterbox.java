package dev.lightmark.detect;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Fits an image into a square network input keeping its aspect ratio: scaled so its longer side
 * fills the square, centred, the rest padded black. Also maps normalised input coordinates back to
 * image pixels. Resampling is separable linear interpolation whose kernel widens with the reduction
 * factor (an area-like antialiasing filter), so large images are not aliased when shrunk.
 */
final class Letterbox {
    final int size, srcW, srcH, contentW, contentH, offX, offY;
    /** Input pixels per image pixel along x and y (equal up to rounding of the content size). */
    final float scaleX, scaleY;

    private Letterbox(int size, int srcW, int srcH) {
        if (srcW <= 0 || srcH <= 0) throw new IllegalArgumentException("empty image " + srcW + "x" + srcH);
        this.size = size;
        this.srcW = srcW;
        this.srcH = srcH;
        double s = (double) size / Math.max(srcW, srcH);
        contentW = Math.max(1, Math.min(size, (int) Math.round(srcW * s)));
        contentH = Math.max(1, Math.min(size, (int) Math.round(srcH * s)));
        offX = (size - contentW) / 2;
        offY = (size - contentH) / 2;
        scaleX = (float) contentW / srcW;
        scaleY = (float) contentH / srcH;
    }

    static Letterbox of(int srcW, int srcH, int size) { return new Letterbox(size, srcW, srcH); }

    /** Image x (pixels) of a normalised input x. */
    float toImageX(float nx) { return (nx * size - offX) / scaleX; }
    float toImageY(float ny) { return (ny * size - offY) / scaleY; }
    /** Image length of a normalised input length along x / y. */
    float toImageW(float nw) { return nw * size / scaleX; }
    float toImageH(float nh) { return nh * size / scaleY; }

    /**
     * The letterboxed image as an NHWC float tensor body ({@code size*size*3}, RGB) with values
     * {@code v / 127.5 - 1} in [-1, 1]; padding is -1 (black).
     */
    float[] toInput(BufferedImage img) {
        if (img.getWidth() != srcW || img.getHeight() != srcH)
            throw new IllegalArgumentException("image size differs from the letterbox's");
        Axis ax = new Axis(srcW, contentW), ay = new Axis(srcH, contentH);
        // Horizontal pass for every source row that the vertical pass reads.
        float[] tmp = new float[srcH * contentW * 3];
        boolean[] rowNeeded = new boolean[srcH];
        for (int o = 0; o < contentH; o++)
            for (int j = 0; j < ay.weights[o].length; j++) rowNeeded[ay.start[o] + j] = true;
        PixelRows rows = new PixelRows(img);
        int[] rgb = new int[srcW];
        float[] rr = new float[srcW], gg = new float[srcW], bb = new float[srcW];
        for (int y = 0; y < srcH; y++) {
            if (!rowNeeded[y]) continue;
            rows.read(y, rgb);
            for (int x = 0; x < srcW; x++) {
                int p = rgb[x];
                rr[x] = (p >> 16) & 0xff;
                gg[x] = (p >> 8) & 0xff;
                bb[x] = p & 0xff;
            }
            int t = y * contentW * 3;
            for (int o = 0; o < contentW; o++) {
                float r = 0, g = 0, b = 0;
                float[] w = ax.weights[o];
                int s0 = ax.start[o];
                for (int j = 0; j < w.length; j++) {
                    float wj = w[j];
                    r += wj * rr[s0 + j];
                    g += wj * gg[s0 + j];
                    b += wj * bb[s0 + j];
                }
                tmp[t++] = r;
                tmp[t++] = g;
                tmp[t++] = b;
            }
        }
        float[] out = new float[size * size * 3];
        java.util.Arrays.fill(out, -1f);
        final float k = 1f / 127.5f;
        int rowLen = contentW * 3;
        for (int o = 0; o < contentH; o++) {
            float[] w = ay.weights[o];
            int s0 = ay.start[o];
            int dst = ((offY + o) * size + offX) * 3;
            for (int i = 0; i < rowLen; i++) {
                float v = 0;
                for (int j = 0; j < w.length; j++) v += w[j] * tmp[(s0 + j) * rowLen + i];
                out[dst + i] = v * k - 1f;
            }
        }
        return out;
    }

    /** Resampling weights along one axis: output o = sum_j weights[o][j] * input[start[o] + j]. */
    static final class Axis {
        final int[] start;
        final float[][] weights;

        Axis(int src, int dst) {
            start = new int[dst];
            weights = new float[dst][];
            double scale = (double) dst / src;
            double support = scale < 1 ? 1 / scale : 1;   // kernel half-width in source pixels
            for (int o = 0; o < dst; o++) {
                double centre = (o + 0.5) / scale - 0.5;
                int lo = Math.max(0, (int) Math.floor(centre - support) + 1);
                int hi = Math.min(src - 1, (int) Math.ceil(centre + support) - 1);
                if (hi < lo) {   // can only happen at the very edge: take the nearest pixel
                    lo = hi = (int) Math.max(0, Math.min(src - 1, Math.round(centre)));
                }
                float[] w = new float[hi - lo + 1];
                double sum = 0;
                for (int i = lo; i <= hi; i++) {
                    double v = Math.max(0, 1 - Math.abs(i - centre) / support);
                    w[i - lo] = (float) v;
                    sum += v;
                }
                if (sum <= 0) {
                    java.util.Arrays.fill(w, 0f);
                    w[(int) Math.max(0, Math.min(w.length - 1, Math.round(centre) - lo))] = 1f;
                } else {
                    for (int i = 0; i < w.length; i++) w[i] = (float) (w[i] / sum);
                }
                start[o] = lo;
                weights[o] = w;
            }
        }
    }

    /** Reads rows of 0xRRGGBB pixels, directly from the raster for the common image types. */
    private static final class PixelRows {
        private final BufferedImage img;
        private final int type;
        private int[] ints;
        private byte[] bytes;
        private int base, stride, pixelStride;
        private int[] bandOffsets;

        PixelRows(BufferedImage img) {
            this.img = img;
            Raster r = img.getRaster();
            int t = img.getType();
            int tx = -r.getSampleModelTranslateX(), ty = -r.getSampleModelTranslateY();
            if ((t == BufferedImage.TYPE_INT_RGB || t == BufferedImage.TYPE_INT_ARGB)
                    && r.getDataBuffer() instanceof DataBufferInt db
                    && r.getSampleModel() instanceof SinglePixelPackedSampleModel sm && db.getNumBanks() == 1) {
                ints = db.getData();
                base = db.getOffset() + sm.getOffset(tx, ty);
                stride = sm.getScanlineStride();
                type = 1;
            } else if ((t == BufferedImage.TYPE_3BYTE_BGR || t == BufferedImage.TYPE_4BYTE_ABGR)
                    && r.getDataBuffer() instanceof DataBufferByte db
                    && r.getSampleModel() instanceof PixelInterleavedSampleModel sm && db.getNumBanks() == 1) {
                bytes = db.getData();
                stride = sm.getScanlineStride();
                pixelStride = sm.getPixelStride();
                // not sm.getOffset(x, y): that already adds the first band's offset
                base = db.getOffset() + ty * stride + tx * pixelStride;
                bandOffsets = sm.getBandOffsets();   // R, G, B(, A) offsets within a pixel
                type = 2;
            } else {
                type = 0;
            }
        }

        void read(int y, int[] out) {
            int w = out.length;
            if (type == 1) {
                System.arraycopy(ints, base + y * stride, out, 0, w);
            } else if (type == 2) {
                int p = base + y * stride;
                int ro = bandOffsets[0], go = bandOffsets[1], bo = bandOffsets[2];
                for (int x = 0; x < w; x++, p += pixelStride)
                    out[x] = ((bytes[p + ro] & 0xff) << 16) | ((bytes[p + go] & 0xff) << 8) | (bytes[p + bo] & 0xff);
            } else {
                img.getRGB(0, y, w, 1, out, 0, w);   // any other type, including alpha-premultiplied
            }
        }
    }
}

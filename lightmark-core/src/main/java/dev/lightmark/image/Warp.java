package dev.lightmark.image;

import dev.lightmark.geometry.Affine;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Affine warps of an RGB image into a float tensor. Coordinates are continuous: pixel i covers
 * [i, i+1), so its centre is i + 0.5; landmarks live in the same space.
 */
public final class Warp {
    private Warp() {}

    /** Packed 0xRRGGBB pixels of a TYPE_INT_RGB image, without copying when possible. */
    public static int[] pixels(BufferedImage img) {
        BufferedImage rgb = Images.toRgb(img);
        if (rgb.getRaster().getDataBuffer() instanceof DataBufferInt db && db.getNumBanks() == 1
                && rgb.getRaster().getSampleModelTranslateX() == 0)
            return db.getData();
        return rgb.getRGB(0, 0, rgb.getWidth(), rgb.getHeight(), null, 0, rgb.getWidth());
    }

    /** Packed pixels of a {@code w x h} image mirrored left-right. */
    public static int[] mirrored(int[] px, int w, int h) {
        int[] out = new int[px.length];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) out[y * w + x] = px[y * w + (w - 1 - x)];
        return out;
    }

    /**
     * Samples {@code size x size} pixels whose image->crop map is {@code toCrop} into planar CHW
     * floats in [0, 255] (bilinear; outside the image reads as black).
     */
    public static float[] toChw(int[] px, int width, int height, Affine toCrop, int size) {
        Affine back = toCrop.inverse();
        float[] out = new float[3 * size * size];
        int plane = size * size;
        for (int v = 0; v < size; v++) {
            for (int u = 0; u < size; u++) {
                float cu = u + 0.5f, cv = v + 0.5f;
                float sx = back.mapX(cu, cv) - 0.5f, sy = back.mapY(cu, cv) - 0.5f;
                int x0 = (int) Math.floor(sx), y0 = (int) Math.floor(sy);
                float fx = sx - x0, fy = sy - y0;
                float r = 0, g = 0, b = 0;
                for (int k = 0; k < 4; k++) {
                    int xx = x0 + (k & 1), yy = y0 + (k >> 1);
                    if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
                    float w = ((k & 1) == 1 ? fx : 1 - fx) * ((k >> 1) == 1 ? fy : 1 - fy);
                    int p = px[yy * width + xx];
                    r += w * ((p >> 16) & 255);
                    g += w * ((p >> 8) & 255);
                    b += w * (p & 255);
                }
                int o = v * size + u;
                out[o] = r;
                out[plane + o] = g;
                out[2 * plane + o] = b;
            }
        }
        return out;
    }

    /**
     * The network input of one face in a single pass: as {@link #toChw} followed by
     * {@code (v - 127.5) / 128}, written into {@code out} at {@code offset}; when
     * {@code mirrorOffset >= 0} the horizontally mirrored crop is written there too (the flip
     * test's second input) at no extra sampling cost. Inside the image the four taps are read
     * without bounds checks; this is the hot loop of every landmark call.
     */
    public static void toNetworkInput(int[] px, int width, int height, Affine toCrop, int size,
                                      float[] out, int offset, int mirrorOffset) {
        Affine back = toCrop.inverse();
        if (back.b() == 0f && back.d() == 0f) {   // an upright crop (every inference crop): separable sampling
            uprightInput(px, width, height, back, size, out, offset, mirrorOffset);
            return;
        }
        int plane = size * size;
        final float norm = 1f / 128f;
        for (int v = 0; v < size; v++) {
            float cv = v + 0.5f;
            int row = v * size;
            for (int u = 0; u < size; u++) {
                float cu = u + 0.5f;
                float sx = back.mapX(cu, cv) - 0.5f, sy = back.mapY(cu, cv) - 0.5f;
                int x0 = (int) Math.floor(sx), y0 = (int) Math.floor(sy);
                float fx = sx - x0, fy = sy - y0;
                float r, g, b;
                if (x0 >= 0 && y0 >= 0 && x0 + 1 < width && y0 + 1 < height) {
                    int i = y0 * width + x0;
                    int p00 = px[i], p10 = px[i + 1], p01 = px[i + width], p11 = px[i + width + 1];
                    float w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
                    r = w00 * ((p00 >> 16) & 255) + w10 * ((p10 >> 16) & 255) + w01 * ((p01 >> 16) & 255) + w11 * ((p11 >> 16) & 255);
                    g = w00 * ((p00 >> 8) & 255) + w10 * ((p10 >> 8) & 255) + w01 * ((p01 >> 8) & 255) + w11 * ((p11 >> 8) & 255);
                    b = w00 * (p00 & 255) + w10 * (p10 & 255) + w01 * (p01 & 255) + w11 * (p11 & 255);
                } else {
                    r = g = b = 0;
                    for (int k = 0; k < 4; k++) {
                        int xx = x0 + (k & 1), yy = y0 + (k >> 1);
                        if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
                        float w = ((k & 1) == 1 ? fx : 1 - fx) * ((k >> 1) == 1 ? fy : 1 - fy);
                        int p = px[yy * width + xx];
                        r += w * ((p >> 16) & 255);
                        g += w * ((p >> 8) & 255);
                        b += w * (p & 255);
                    }
                }
                float nr = (r - 127.5f) * norm, ng = (g - 127.5f) * norm, nb = (b - 127.5f) * norm;
                int o = offset + row + u;
                out[o] = nr;
                out[o + plane] = ng;
                out[o + 2 * plane] = nb;
                if (mirrorOffset >= 0) {
                    int m = mirrorOffset + row + size - 1 - u;
                    out[m] = nr;
                    out[m + plane] = ng;
                    out[m + 2 * plane] = nb;
                }
            }
        }
    }

    /**
     * {@link #toNetworkInput} for a map without rotation: each column has one source x and each
     * row one source y, computed once, so the inner loop only blends four pixels. Gives the same
     * values as the general path. The blend is written out in both loops on purpose: moved into a
     * shared method, the flip-test path measured slower (0.63 vs 0.55 ms per face; one run each,
     * so within this machine's noise, but no faster).
     */
    private static void uprightInput(int[] px, int width, int height, Affine back, int size,
                                     float[] out, int offset, int mirrorOffset) {
        int[] xs = new int[size];
        float[] fxs = new float[size];
        for (int u = 0; u < size; u++) {
            float sx = back.mapX(u + 0.5f, 0.5f) - 0.5f;
            xs[u] = (int) Math.floor(sx);
            fxs[u] = sx - xs[u];
        }
        int plane = size * size;
        final float norm = 1f / 128f;
        for (int v = 0; v < size; v++) {
            float sy = back.mapY(0.5f, v + 0.5f) - 0.5f;
            int y0 = (int) Math.floor(sy);
            float fy = sy - y0;
            boolean rowInside = y0 >= 0 && y0 + 1 < height;
            int row = v * size;
            for (int u = 0; u < size; u++) {
                int x0 = xs[u];
                float fx = fxs[u];
                float r, g, b;
                if (rowInside && x0 >= 0 && x0 + 1 < width) {
                    int i = y0 * width + x0;
                    int p00 = px[i], p10 = px[i + 1], p01 = px[i + width], p11 = px[i + width + 1];
                    float w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
                    r = w00 * ((p00 >> 16) & 255) + w10 * ((p10 >> 16) & 255) + w01 * ((p01 >> 16) & 255) + w11 * ((p11 >> 16) & 255);
                    g = w00 * ((p00 >> 8) & 255) + w10 * ((p10 >> 8) & 255) + w01 * ((p01 >> 8) & 255) + w11 * ((p11 >> 8) & 255);
                    b = w00 * (p00 & 255) + w10 * (p10 & 255) + w01 * (p01 & 255) + w11 * (p11 & 255);
                } else {
                    r = g = b = 0;
                    for (int k = 0; k < 4; k++) {
                        int xx = x0 + (k & 1), yy = y0 + (k >> 1);
                        if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
                        float w = ((k & 1) == 1 ? fx : 1 - fx) * ((k >> 1) == 1 ? fy : 1 - fy);
                        int p = px[yy * width + xx];
                        r += w * ((p >> 16) & 255);
                        g += w * ((p >> 8) & 255);
                        b += w * (p & 255);
                    }
                }
                float nr = (r - 127.5f) * norm, ng = (g - 127.5f) * norm, nb = (b - 127.5f) * norm;
                int o = offset + row + u;
                out[o] = nr;
                out[o + plane] = ng;
                out[o + 2 * plane] = nb;
                if (mirrorOffset >= 0) {
                    int m = mirrorOffset + row + size - 1 - u;
                    out[m] = nr;
                    out[m + plane] = ng;
                    out[m + 2 * plane] = nb;
                }
            }
        }
    }

    /** Planar CHW floats in [0, 255] back to an image (for overlays and debugging). */
    public static BufferedImage fromChw(float[] chw, int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        int plane = size * size;
        for (int i = 0; i < plane; i++) {
            int r = clamp(chw[i]), g = clamp(chw[plane + i]), b = clamp(chw[2 * plane + i]);
            img.setRGB(i % size, i / size, (r << 16) | (g << 8) | b);
        }
        return img;
    }

    private static int clamp(float v) { return Math.max(0, Math.min(255, Math.round(v))); }
}

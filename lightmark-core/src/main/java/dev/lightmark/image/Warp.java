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

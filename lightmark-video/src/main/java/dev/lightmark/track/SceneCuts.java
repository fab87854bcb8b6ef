package dev.lightmark.track;

import dev.lightmark.image.Warp;

import java.awt.image.BufferedImage;

/**
 * Spots cuts between shots: the mean absolute grey-level change between 32x24 thumbnails of
 * consecutive frames. After a cut a track's crop shows something else, yet the landmark model
 * still draws a plausible face there, so the tracker asks the detector instead of trusting it.
 * On the example clips ordinary frames change by 0.1-3 grey levels (99th percentile) and cuts
 * by 25 or more.
 */
public final class SceneCuts {
    private static final int W = 32, H = 24;
    private final float threshold;
    private float[] previous;

    /** @param threshold mean grey-level change (0-255) that counts as a cut; 0 turns the check off */
    public SceneCuts(float threshold) { this.threshold = threshold; }

    /** True when this frame starts a new shot (never for the first frame). */
    public boolean isCut(BufferedImage frame) {
        if (threshold <= 0) return false;
        float[] t = thumbnail(frame);
        float[] p = previous;
        previous = t;
        if (p == null) return false;
        double d = 0;
        for (int i = 0; i < t.length; i++) d += Math.abs(t[i] - p[i]);
        return d / t.length >= threshold;
    }

    static float[] thumbnail(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        int[] px = Warp.pixels(img);
        float[] sum = new float[W * H];
        int[] count = new int[W * H];
        for (int y = 0; y < h; y++) {
            int row = (int) ((long) y * H / h) * W;
            for (int x = 0; x < w; x++) {
                int p = px[y * w + x], cell = row + (int) ((long) x * W / w);
                sum[cell] += (p >> 16 & 255) + (p >> 8 & 255) + (p & 255);
                count[cell]++;
            }
        }
        for (int i = 0; i < sum.length; i++) sum[i] = count[i] == 0 ? 0 : sum[i] / (3f * count[i]);
        return sum;
    }
}

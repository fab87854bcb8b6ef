package dev.lightmark.heatmap;

/**
 * Encodes landmarks as Gaussian heatmaps and decodes heatmaps back to sub-pixel points.
 *
 * <p>Decoding: argmax, then one Newton step on the logarithm of the heatmap around it, after a
 * local Gaussian smoothing (the "distribution-aware" refinement of Zhang et al., 2020). The log of
 * a Gaussian is exactly quadratic, so for an offset-encoded map the step lands on the encoded
 * centre; smoothing with a Gaussian keeps a Gaussian with the same centre but steadies the
 * derivatives of noisy predicted maps. Near the map's border the smoothing kernel is cut
 * symmetrically to what fits (a one-sided cut would pull the peak inwards); a symmetric kernel
 * keeps a symmetric peak where it is. We chose this over learned offset maps because it needs
 * no extra outputs or loss terms and the network stays a plain heatmap regressor.
 *
 * <p>Layout: K maps of {@code size x size} floats, row-major, one face after another.
 */
public final class GaussianHeatmaps {
    /** Values below this are treated as this before taking logs (predicted maps can be <= 0). */
    private static final float LOG_FLOOR = 1e-6f;

    private final int size;
    private final float sigma;
    private final HeatmapEncoding encoding;
    private final int radius;
    /** Unnormalised 1-D Gaussian at integer distances -radius..radius, for the decoder's smoothing. */
    private final float[] kernel;

    /**
     * @param size     heatmap side in pixels
     * @param sigma    Gaussian standard deviation in heatmap pixels
     * @param encoding rounded or sub-pixel (offset) centres
     */
    public GaussianHeatmaps(int size, float sigma, HeatmapEncoding encoding) {
        if (size < 3) throw new IllegalArgumentException("heatmap size must be at least 3, not " + size);
        if (!(sigma > 0)) throw new IllegalArgumentException("sigma must be positive, not " + sigma);
        this.size = size;
        this.sigma = sigma;
        this.encoding = encoding;
        // Beyond 4 sigma a value is below 3e-4 of the peak: not worth writing.
        this.radius = (int) Math.ceil(4 * sigma);
        this.kernel = new float[2 * radius + 1];
        for (int d = -radius; d <= radius; d++) kernel[d + radius] = (float) Math.exp(-d * d / (2.0 * sigma * sigma));
    }

    public int size() { return size; }
    public float sigma() { return sigma; }
    public HeatmapEncoding encoding() { return encoding; }

    /** Heatmaps for one face; {@code xy} in heatmap pixels (x0, y0, x1, y1, ...). */
    public float[] encode(float[] xy) {
        float[] out = new float[xy.length / 2 * size * size];
        encode(xy, out, 0);
        return out;
    }

    /**
     * Writes the K maps of one face into {@code out} from {@code offset}. The area is assumed
     * zeroed. A point off the map still lights the pixels near it that are on the map.
     */
    public void encode(float[] xy, float[] out, int offset) {
        int k = xy.length / 2, plane = size * size;
        float inv2s2 = 1f / (2 * sigma * sigma);
        float[] gx = new float[2 * radius + 1], gy = new float[2 * radius + 1];
        for (int p = 0; p < k; p++) {
            float x = xy[2 * p], y = xy[2 * p + 1];
            if (!Float.isFinite(x) || !Float.isFinite(y)) continue;
            int cx = (int) Math.floor(x), cy = (int) Math.floor(y);   // the pixel holding the point
            float mx, my;
            if (encoding == HeatmapEncoding.ROUNDED) {
                mx = cx + 0.5f;
                my = cy + 0.5f;
            } else {
                mx = x;
                my = y;
            }
            // Separable: value = gx * gy. Dividing by the value at the holding pixel's centre
            // makes that pixel exactly 1, and no pixel exceeds it (it is the nearest centre).
            float nx = (float) Math.exp(-sq(cx + 0.5f - mx) * inv2s2), ny = (float) Math.exp(-sq(cy + 0.5f - my) * inv2s2);
            for (int d = -radius; d <= radius; d++) {
                gx[d + radius] = (float) Math.exp(-sq(cx + d + 0.5f - mx) * inv2s2) / nx;
                gy[d + radius] = (float) Math.exp(-sq(cy + d + 0.5f - my) * inv2s2) / ny;
            }
            int base = offset + p * plane;
            for (int dy = -radius; dy <= radius; dy++) {
                int v = cy + dy;
                if (v < 0 || v >= size) continue;
                for (int dx = -radius; dx <= radius; dx++) {
                    int u = cx + dx;
                    if (u < 0 || u >= size) continue;
                    out[base + v * size + u] = gx[dx + radius] * gy[dy + radius];
                }
            }
        }
    }

    /** Sub-pixel peaks of the K maps of one face, in heatmap pixels. */
    public float[] decode(float[] maps, int offset, int k) {
        float[] xy = new float[2 * k];
        decode(maps, offset, k, xy, 0);
        return xy;
    }

    /**
     * Peaks of a batch of {@code n} faces with {@code k} maps each, in units of the map side
     * (0..1), which are also units of the crop the maps cover: (n, 2k) flat, like PFLD's output.
     */
    public float[] toCropUnits(float[] maps, int n, int k) {
        float[] xy = new float[n * 2 * k];
        for (int b = 0; b < n; b++) decode(maps, b * k * size * size, k, xy, b * 2 * k);
        for (int i = 0; i < xy.length; i++) xy[i] /= size;
        return xy;
    }

    /** Sub-pixel peaks written to {@code xy[xyOffset..]}. */
    public void decode(float[] maps, int offset, int k, float[] xy, int xyOffset) {
        int plane = size * size;
        float[] win = new float[9];
        for (int p = 0; p < k; p++) {
            int base = offset + p * plane;
            int best = 0;
            float max = maps[base];
            for (int i = 1; i < plane; i++) {
                float v = maps[base + i];
                if (v > max) {
                    max = v;
                    best = i;
                }
            }
            int u = best % size, v = best / size;
            float ox = 0, oy = 0;
            if (u > 0 && u < size - 1 && v > 0 && v < size - 1) {
                // The smoothing window must lie on the map, and a window cut on one side only pulls
                // the peak inwards (a third of a pixel 1 px from the edge): near the border the
                // kernel shrinks on both sides. Smoothing only where the whole kernel fitted left the
                // points 2-7 px from the edge (jaw, brows) unsmoothed: 0.02-0.04 NME points worse on
                // validation faces for every bundled hourglass.
                int reach = Math.min(radius, Math.min(Math.min(u - 1, size - 2 - u), Math.min(v - 1, size - 2 - v)));
                boolean smooth = reach > 0;
                if (smooth) smoothed3x3(maps, base, u, v, reach, win);
                for (int j = 0; j < 9; j++) {
                    float h = smooth ? win[j] : maps[base + (v + j / 3 - 1) * size + u + j % 3 - 1];
                    win[j] = (float) Math.log(Math.max(LOG_FLOOR, h));
                }
                // Gradient and Hessian of log h by central differences, then x* = -H^-1 g.
                float gxv = 0.5f * (win[5] - win[3]), gyv = 0.5f * (win[7] - win[1]);
                float hxx = win[5] - 2 * win[4] + win[3], hyy = win[7] - 2 * win[4] + win[1];
                float hxy = 0.25f * (win[8] - win[6] - win[2] + win[0]);
                float det = hxx * hyy - hxy * hxy;
                // Only a maximum (negative definite Hessian) gives a meaningful step.
                if (hxx < 0 && det > 0) {
                    ox = -(hyy * gxv - hxy * gyv) / det;
                    oy = -(hxx * gyv - hxy * gxv) / det;
                    // A step past the neighbours means the peak is not Gaussian-like: stay near the argmax.
                    ox = Math.max(-1f, Math.min(1f, ox));
                    oy = Math.max(-1f, Math.min(1f, oy));
                }
            }
            xy[xyOffset + 2 * p] = u + 0.5f + ox;
            xy[xyOffset + 2 * p + 1] = v + 0.5f + oy;
        }
    }

    /**
     * The map convolved with a Gaussian of the encoding's sigma, cut at {@code reach} pixels, at
     * the 3x3 pixels around (u, v), row-major into {@code out}; the whole window must be on the
     * map. Separable: each needed row is smoothed across first, at the three columns only.
     */
    private void smoothed3x3(float[] maps, int base, int u, int v, int reach, float[] out) {
        int rows = 2 * reach + 3;
        double[] across = new double[rows * 3];
        for (int r = 0; r < rows; r++) {
            int row = base + (v - 1 - reach + r) * size;
            for (int c = 0; c < 3; c++) {
                int centre = u - 1 + c;
                double acc = 0;
                for (int d = -reach; d <= reach; d++) acc += kernel[d + radius] * maps[row + centre + d];
                across[r * 3 + c] = acc;
            }
        }
        for (int dr = 0; dr < 3; dr++)
            for (int c = 0; c < 3; c++) {
                double acc = 0;
                for (int d = -reach; d <= reach; d++) acc += kernel[d + radius] * across[(dr + reach + d) * 3 + c];
                out[dr * 3 + c] = (float) acc;
            }
    }

    private static float sq(float v) { return v * v; }
}

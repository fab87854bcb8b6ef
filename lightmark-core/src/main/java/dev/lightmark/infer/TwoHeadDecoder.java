package dev.lightmark.infer;

import dev.lightmark.heatmap.GaussianHeatmaps;
import dev.lightmark.heatmap.HeatmapEncoding;
import dev.lightmark.landmarks.LandmarkScheme;

/**
 * Reads a two-head network (TSAL's): head A gives heatmaps, decoded by the shared heatmap codec,
 * head B gives crop-unit points; per point the two are averaged where they agree and head B's
 * point is kept where they do not. The one implementation of that rule: the DJL network, its
 * ONNX export and the pseudo-labels all use it.
 *
 * <p>Outputs, in this order: heatmaps (n, K, H, W) and head B's points (n, 2K).
 */
public final class TwoHeadDecoder implements OutputDecoder {
    private final float sigma;
    private final HeatmapEncoding encoding;
    private final float agreement;

    /**
     * @param sigma     Gaussian sigma of head A's maps, in heatmap pixels
     * @param encoding  how head A's training maps were encoded
     * @param agreement heads agree on a point within this share of the inter-ocular distance
     */
    public TwoHeadDecoder(float sigma, HeatmapEncoding encoding, float agreement) {
        if (!(agreement > 0)) throw new IllegalArgumentException("agreement must be positive, not " + agreement);
        this.sigma = sigma;
        this.encoding = encoding;
        this.agreement = agreement;
    }

    public float sigma() { return sigma; }
    public HeatmapEncoding encoding() { return encoding; }
    public float agreement() { return agreement; }

    /** The fused points and each head's own, all (n, 2K) crop units. */
    public record Heads(float[] fused, float[] heatmapPoints, float[] regressionPoints) {}

    /** Both heads of n faces read and fused; {@code maps} is (n, K, H, W), {@code points} (n, 2K). */
    public Heads decode(float[] maps, long[] mapShape, float[] points) {
        if (mapShape.length != 4) throw new IllegalArgumentException("heatmap output must be (n, K, H, W), not rank " + mapShape.length);
        int n = (int) mapShape[0], k = (int) mapShape[1];
        if (points.length != n * 2 * k)
            throw new IllegalArgumentException(points.length + " point values for " + n + " faces of " + k + " points");
        float[] a = new GaussianHeatmaps((int) mapShape[3], sigma, encoding).toCropUnits(maps, n, k);
        return new Heads(fuse(a, points, n, k, agreement, null), a, points);
    }

    @Override public int outputs() { return 2; }

    @Override
    public float[] toCropUnits(float[][] raws, long[][] shapes) {
        if (raws.length != 2) throw new IllegalArgumentException("a two-head network has 2 outputs, got " + raws.length);
        return decode(raws[0], shapes[0], raws[1]).fused();
    }

    @Override
    public float[] toCropUnits(float[] raw, long[] shape) {
        throw new UnsupportedOperationException("a two-head network needs both outputs (heatmaps, points)");
    }

    /**
     * Per point: the mean of the two heads where they are within {@code tau} inter-ocular
     * distances (measured on head B's shape), else head B's point (the global shape is the safer
     * one when a heatmap peak jumps to another part of the face). Writes the agreement into
     * {@code agree} (n*k) when it is not null.
     */
    public static float[] fuse(float[] a, float[] b, int n, int k, float tau, boolean[] agree) {
        float[] out = new float[a.length];
        LandmarkScheme scheme = k == 68 ? LandmarkScheme.IBUG68 : null;
        for (int s = 0; s < n; s++) {
            int o = s * 2 * k;
            float io = scheme != null ? (float) Math.hypot(b[o + 2 * scheme.outerEyeA()] - b[o + 2 * scheme.outerEyeB()],
                    b[o + 2 * scheme.outerEyeA() + 1] - b[o + 2 * scheme.outerEyeB() + 1]) : 0.3f;
            io = Math.max(io, 1e-3f);
            for (int i = 0; i < k; i++) {
                int p = o + 2 * i;
                boolean ok = Math.hypot(a[p] - b[p], a[p + 1] - b[p + 1]) < tau * io;
                if (agree != null) agree[s * k + i] = ok;
                out[p] = ok ? 0.5f * (a[p] + b[p]) : b[p];
                out[p + 1] = ok ? 0.5f * (a[p + 1] + b[p + 1]) : b[p + 1];
            }
        }
        return out;
    }
}

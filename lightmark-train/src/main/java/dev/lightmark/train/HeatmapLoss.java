package dev.lightmark.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import dev.lightmark.model.layers.Scalars;

/**
 * Heatmap regression losses on (N, K, H, W) arrays, built from differentiable NDArray ops.
 *
 * <p>Most heatmap pixels are background, so a plain MSE is dominated by them and a network can
 * get far by predicting near-zero maps. The weighted form (Wang et al., 2019) multiplies each
 * pixel's loss by {@code W * M + 1}, where M marks the foreground: the ground truth dilated with a
 * 3x3 max filter and thresholded at 0.2, so the pixels around each peak count W + 1 times.
 */
public final class HeatmapLoss {
    private HeatmapLoss() {}

    /** Per-pixel loss. */
    public enum Kind { MSE, AWING }

    /**
     * @param kind      per-pixel loss
     * @param weight    W in {@code loss * (W * M + 1)}; 0 gives the unweighted loss (the paper uses 10)
     * @param threshold foreground threshold on the dilated ground truth (the paper uses 0.2)
     */
    public record Settings(Kind kind, float weight, float threshold) {
        public static final Settings PLAIN_MSE = new Settings(Kind.MSE, 0f, 0.2f);
        public static final Settings WEIGHTED_MSE = new Settings(Kind.MSE, 10f, 0.2f);
        public static final Settings WEIGHTED_AWING = new Settings(Kind.AWING, 10f, 0.2f);
    }

    /** Mean loss over all pixels of all maps. */
    public static NDArray compute(Settings s, NDArray pred, NDArray gt) {
        NDArray perPixel = switch (s.kind()) {
            case MSE -> pred.sub(gt).square();
            case AWING -> adaptiveWing(pred, gt);
        };
        if (s.weight() != 0f) perPixel = perPixel.mul(weightMap(gt, s.weight(), s.threshold()));
        return perPixel.mean();
    }

    /** Plain mean squared error. */
    public static NDArray mse(NDArray pred, NDArray gt) { return pred.sub(gt).square().mean(); }

    /** Mean of {@code (pred - gt)^2 * (W * M + 1)}. */
    public static NDArray weightedMse(NDArray pred, NDArray gt, float weight) {
        return compute(new Settings(Kind.MSE, weight, 0.2f), pred, gt);
    }

    /** M: 1 where the 3x3-dilated ground truth is at least {@code threshold}, else 0. */
    public static NDArray foregroundMask(NDArray gt, float threshold) {
        NDArray dilated = Pool.maxPool2d(gt.stopGradient(), new Shape(3, 3), new Shape(1, 1), new Shape(1, 1), false);
        return dilated.gte(threshold).toType(DataType.FLOAT32, false);
    }

    /** {@code W * M + 1}. */
    public static NDArray weightMap(NDArray gt, float weight, float threshold) {
        return foregroundMask(gt, threshold).mul(weight).add(1f);
    }

    /** Adaptive Wing with the paper's constants: omega 14, theta 0.5, epsilon 1, alpha 2.1. */
    public static NDArray adaptiveWing(NDArray pred, NDArray gt) {
        return adaptiveWing(pred, gt, 14f, 0.5f, 1f, 2.1f);
    }

    /**
     * Adaptive Wing loss per pixel (Wang et al., 2019). The exponent {@code alpha - y} adapts to
     * the ground-truth value: on foreground pixels (y near 1) it behaves like Wing loss and keeps
     * a strong gradient for small errors; on background (y = 0) it is close to MSE, so the many
     * background pixels do not dominate. Linear beyond |error| = theta, continuous and smooth
     * there.
     */
    public static NDArray adaptiveWing(NDArray pred, NDArray gt, float omega, float theta, float epsilon, float alpha) {
        NDArray y = gt.stopGradient();
        NDArray d = pred.sub(y).abs();
        NDArray p = y.neg().add(alpha);                                   // alpha - y
        // Scalars: DJL's mul/div by a number is unsafe inside autograd (see Scalars).
        NDArray small = Scalars.mul(Scalars.div(d, epsilon).pow(p).add(1f).log(), omega);
        NDArray te = p.mul((float) Math.log(theta / epsilon)).exp();     // (theta/eps)^(alpha - y)
        NDArray teMinus1 = te.div(theta / epsilon);                       // (theta/eps)^(alpha - y - 1)
        NDArray a = te.add(1f).pow(-1f).mul(p).mul(teMinus1).mul(omega / epsilon);
        NDArray c = a.mul(theta).sub(te.add(1f).log().mul(omega));
        NDArray large = a.mul(d).sub(c);
        return NDArrays.where(d.lt(theta), small, large);
    }
}

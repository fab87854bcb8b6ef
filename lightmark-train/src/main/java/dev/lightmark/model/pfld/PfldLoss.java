package dev.lightmark.model.pfld;

import ai.djl.ndarray.NDArray;
import dev.lightmark.model.layers.Scalars;

/**
 * PFLD loss: mean over samples of attr_weight * (floor + sum_k (1 - cos(angle error_k))) * ||d||^2,
 * with d the landmark error in crop units. With floor = 0 it is the paper's formula; a positive
 * floor keeps the landmark term alive when the auxiliary net predicts the pose exactly.
 */
public final class PfldLoss {
    private PfldLoss() {}

    public static NDArray compute(NDArray pred, NDArray target, NDArray predAngles, NDArray gtAngles,
                                  NDArray weights, float floor) {
        return weighted(l2(pred, target), predAngles, gtAngles, weights, floor);
    }

    /** PFLD's pose and attribute weighting applied to any per-sample landmark loss (N). */
    public static NDArray weighted(NDArray perSample, NDArray predAngles, NDArray gtAngles, NDArray weights, float floor) {
        NDArray pose = predAngles.sub(gtAngles).cos().neg().add(1f).sum(new int[]{1}).add(floor);
        return weights.mul(pose).mul(perSample).mean();
    }

    /** Sum of squared coordinate errors per sample: (N, 2K) -> (N). */
    public static NDArray l2(NDArray pred, NDArray target) {
        return pred.sub(target).square().sum(new int[]{1});
    }

    /**
     * Wing loss (Feng et al., 2018) summed per sample: w ln(1 + |x|/eps) for |x| < w, else |x| - C.
     * It keeps a strong gradient for small errors, where L2's vanishes. w and eps in crop units.
     */
    public static NDArray wing(NDArray pred, NDArray target, float w, float eps) {
        NDArray x = pred.sub(target).abs();
        float c = w - w * (float) Math.log(1 + w / eps);
        NDArray small = Scalars.mul(Scalars.div(x, eps).add(1f).log(), w);   // Scalars: safe for backward
        NDArray large = x.sub(c);
        return ai.djl.ndarray.NDArrays.where(x.lt(w), small, large).sum(new int[]{1});
    }
}

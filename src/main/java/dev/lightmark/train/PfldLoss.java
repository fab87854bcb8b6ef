package dev.lightmark.train;

import ai.djl.ndarray.NDArray;

/**
 * PFLD loss: mean over samples of attr_weight * (floor + sum_k (1 - cos(angle error_k))) * ||d||^2,
 * with d the landmark error in crop units. With floor = 0 it is the paper's formula; a positive
 * floor keeps the landmark term alive when the auxiliary net predicts the pose exactly.
 */
public final class PfldLoss {
    private PfldLoss() {}

    public static NDArray compute(NDArray pred, NDArray target, NDArray predAngles, NDArray gtAngles,
                                  NDArray weights, float floor) {
        NDArray l2 = pred.sub(target).square().sum(new int[]{1});
        NDArray pose = predAngles.sub(gtAngles).cos().neg().add(1f).sum(new int[]{1}).add(floor);
        return weights.mul(pose).mul(l2).mean();
    }
}

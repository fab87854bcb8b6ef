package dev.lightmark.model.pfld;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.lightmark.model.layers.Scalars;

/**
 * KD-Loss's assistive loss (Fard and Mahoor, CVIU 2022), written per coordinate. With a the
 * student's error |p - g| and d the teacher's error |t - g| on the same coordinate:
 * <ul>
 *   <li>a &gt; d (the student is worse than the teacher): pull * (a - d), back to the teacher's
 *       error radius;</li>
 *   <li>deadZone * d &le; a &le; d (better than the teacher, not yet close): -push * (d - a), which
 *       keeps moving it towards the truth past the teacher;</li>
 *   <li>a &lt; deadZone * d: nothing; the main loss alone acts.</li>
 * </ul>
 * Only the teacher's distance to the truth matters, not its side, as the paper reflects the
 * teacher onto the student's side. Teachers carry no gradient.
 */
public final class KdLoss {
    private KdLoss() {}

    /** (N, 2K) predictions, truth and teacher predictions to the per-sample sum (N). */
    public static NDArray assistive(NDArray pred, NDArray truth, NDArray teacher, float pull, float push, float deadZone) {
        NDArray a = pred.sub(truth).abs();
        NDArray d = teacher.sub(truth).abs().stopGradient();
        NDArray beyond = a.gt(d).toType(DataType.FLOAT32, false);
        NDArray between = a.gte(d.mul(deadZone)).logicalAnd(a.lte(d)).toType(DataType.FLOAT32, false);
        NDArray pullTerm = Scalars.mul(a.sub(d).mul(beyond), pull);
        NDArray pushTerm = Scalars.mul(d.sub(a).mul(between), -push);
        return pullTerm.add(pushTerm).sum(new int[]{1});
    }
}

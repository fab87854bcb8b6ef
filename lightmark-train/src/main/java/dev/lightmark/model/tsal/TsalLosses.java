package dev.lightmark.model.tsal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.lightmark.train.HeatmapLoss;
import dev.lightmark.model.layers.Scalars;

/**
 * Loss terms of teacher-student training, each safe for autograd (constants are arrays of the
 * step's manager, see {@link Scalars}).
 */
public final class TsalLosses {
    private TsalLosses() {}

    /**
     * Weighted heatmap MSE averaged over the maps whose mask is 1: {@code pred}, {@code gt}
     * (N,K,h,h), {@code mask} N*K zeros and ones.
     */
    public static NDArray heatmaps(NDArray pred, NDArray gt, float[] mask, float foregroundWeight) {
        NDManager m = pred.getManager();
        long n = pred.getShape().get(0), k = pred.getShape().get(1);
        NDArray perPixel = pred.sub(gt).square().mul(HeatmapLoss.weightMap(gt, foregroundWeight, 0.2f));
        NDArray perMap = perPixel.reshape(n, k, -1).mean(new int[]{2});   // PyTorch's mean takes one axis here
        NDArray w = m.create(mask, new Shape(n, k));
        return Scalars.div(perMap.mul(w).sum(), Math.max(1f, sum(mask)));
    }

    /** Mean L1 point error (|dx| + |dy|) over the points whose mask is 1: {@code pred}, {@code target} (N,2K). */
    public static NDArray points(NDArray pred, NDArray target, float[] mask) {
        NDManager m = pred.getManager();
        long n = pred.getShape().get(0), k = pred.getShape().get(1) / 2;
        NDArray perPoint = pred.sub(target).abs().reshape(n, k, 2).sum(new int[]{2});
        return Scalars.div(perPoint.mul(m.create(mask, new Shape(n, k))).sum(), Math.max(1f, sum(mask)));
    }

    /**
     * Detection/tracking consistency: the same frame cropped from two boxes must give the same
     * points. {@code pd}, {@code pt} (P,2K) in crop units of crop D and crop T; {@code tToD} six
     * affine coefficients per pair (a, b, c, d, e, f) mapping crop-T units into crop-D units;
     * {@code io} the inter-ocular distance in crop-D units per pair. Mean L1 distance / io.
     */
    public static NDArray consistency(NDArray pd, NDArray pt, float[] tToD, float[] io) {
        NDManager m = pd.getManager();
        long p = pd.getShape().get(0), k = pd.getShape().get(1) / 2;
        NDArray t = pt.reshape(p, k, 2);
        NDArray x = t.get(new NDIndex(":, :, 0")), y = t.get(new NDIndex(":, :, 1"));
        float[][] c = new float[6][(int) p];
        float[] inv = new float[(int) p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < 6; j++) c[j][i] = tToD[6 * i + j];
            inv[i] = 1f / Math.max(1e-4f, io[i]);
        }
        Shape col = new Shape(p, 1);
        NDArray mx = x.mul(m.create(c[0], col)).add(y.mul(m.create(c[1], col))).add(m.create(c[2], col));
        NDArray my = x.mul(m.create(c[3], col)).add(y.mul(m.create(c[4], col))).add(m.create(c[5], col));
        NDArray d = pd.reshape(p, k, 2);
        NDArray err = d.get(new NDIndex(":, :, 0")).sub(mx).abs().add(d.get(new NDIndex(":, :, 1")).sub(my).abs());
        return err.mean(new int[]{1}).mul(m.create(inv, new Shape(p))).mean();
    }

    /**
     * Soft-argmax of heatmaps (N,K,h,h): the mean position under softmax(beta * map), in units of
     * the map side (0..1, pixel centres at (i + 0.5) / h), as (N,2K). Differentiable, so a
     * point loss on it teaches the heatmap head where its peak belongs from the first steps,
     * which the pixel-wise loss alone does slowly on a small trunk.
     */
    public static NDArray softArgmax(NDArray maps, float beta) {
        NDManager m = maps.getManager();
        long n = maps.getShape().get(0), k = maps.getShape().get(1);
        int h = (int) maps.getShape().get(2);
        float[] gx = new float[h * h], gy = new float[h * h];
        for (int v = 0; v < h; v++)
            for (int u = 0; u < h; u++) {
                gx[v * h + u] = (u + 0.5f) / h;
                gy[v * h + u] = (v + 0.5f) / h;
            }
        NDArray p = Scalars.mul(maps.reshape(n, k, (long) h * h), beta).softmax(2);
        NDArray x = p.mul(m.create(gx, new Shape(1, 1, (long) h * h))).sum(new int[]{2});
        NDArray y = p.mul(m.create(gy, new Shape(1, 1, (long) h * h))).sum(new int[]{2});
        return NDArrays.stack(new NDList(x, y), 2).reshape(n, 2 * k);
    }

    static float sum(float[] a) {
        float s = 0;
        for (float v : a) s += v;
        return s;
    }
}

package dev.lightmark.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.lightmark.infer.OutputDecoder;

/**
 * A trained model of any registered architecture used as a teacher: it reads the student's
 * augmented crops (resampled bilinearly when it was trained at another input size; the crop
 * itself, and so the crop units of its points, are the same) and answers (n, 2K) crop-unit
 * points through its architecture's decoder, with no gradient.
 */
public final class TeacherModel {
    private final ModelFile.Loaded model;
    private final OutputDecoder decoder;
    private final ParameterStore ps;

    public TeacherModel(ModelFile.Loaded model, NDManager manager) {
        this.model = model;
        this.decoder = Architectures.get(model.spec().architecture).decoder(model.spec());
        this.ps = new ParameterStore(manager, false);
    }

    public ModelFile.Loaded model() { return model; }

    /** Points for crops {@code x} of shape (n, 3, S, S), as a constant (n, 2K) array in x's manager. */
    public NDArray read(NDArray x) {
        long n = x.getShape().get(0), s = x.getShape().get(2);
        int t = model.spec().inputSize;
        NDArray in = s == t ? x : resample(x, (int) s, t);
        NDArray out = model.block().forward(ps, new NDList(in), false).get(0);
        float[] pts = decoder.toCropUnits(out.toFloatArray(), out.getShape().getShape());
        return x.getManager().create(pts, new ai.djl.ndarray.types.Shape(n, pts.length / n));
    }

    /** Bilinear resampling of (n, 3, s, s) to (n, 3, t, t) with pixel centres aligned: A x A^T. */
    static NDArray resample(NDArray x, int s, int t) {
        float[] a = weights(s, t);
        NDArray m = x.getManager().create(a, new ai.djl.ndarray.types.Shape(t, s));
        return m.matMul(x).matMul(m.transpose());
    }

    /** Row i: the bilinear weights of source pixels for target pixel i (centres at i + 0.5). */
    static float[] weights(int s, int t) {
        float[] a = new float[t * s];
        for (int i = 0; i < t; i++) {
            float src = (i + 0.5f) * s / t - 0.5f;
            int i0 = (int) Math.floor(src);
            float f = src - i0;
            int lo = Math.max(0, Math.min(s - 1, i0)), hi = Math.max(0, Math.min(s - 1, i0 + 1));
            a[i * s + lo] += 1 - f;
            a[i * s + hi] += f;
        }
        return a;
    }
}

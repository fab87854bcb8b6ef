package dev.lightmark.train;

import dev.lightmark.model.pfld.KdLoss;
import dev.lightmark.model.pfld.PfldLoss;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.lightmark.model.TorchSetup;
import dev.lightmark.model.layers.Layers;
import org.junit.jupiter.api.Test;

import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The training losses and activations give the same gradients when the JVM collects garbage
 * between forward and backward (DJL's scalar operands are freed early, see model/layers/Scalars).
 */
class AutogradSafetyTest {
    private static final float[] X = {0.01f, -0.02f, 0.3f, -0.004f, 0.05f, 0.2f};

    /** max |gradient with churn - gradient without| of sum(f(x)). */
    static float gradientDrift(BiFunction<NDManager, NDArray, NDArray> f) {
        TorchSetup.configure(1);
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            float[] clean = gradient(m, f, false);
            float drift = 0;
            for (int round = 0; round < 4; round++) {
                float[] churned = gradient(m, f, true);
                for (int i = 0; i < clean.length; i++) drift = Math.max(drift, Math.abs(churned[i] - clean[i]));
            }
            return drift;
        }
    }

    private static float[] gradient(NDManager m, BiFunction<NDManager, NDArray, NDArray> f, boolean churn) {
        try (NDManager step = m.newSubManager()) {
            NDArray x = step.create(X, new Shape(1, X.length));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray y = f.apply(step, x).sum();
                if (churn) {
                    System.gc();
                    for (int i = 0; i < 200; i++) step.create(new float[]{1e30f, Float.NaN}).close();
                }
                gc.backward(y);
            }
            return x.getGradient().toFloatArray();
        }
    }

    @Test
    void wingKdLossAndSwishKeepTheirGradients() {
        assertEquals(0f, gradientDrift((m, x) -> PfldLoss.wing(x, m.zeros(x.getShape()), 10f / 112, 2f / 112)), 1e-6f);
        assertEquals(0f, gradientDrift((m, x) -> KdLoss.assistive(x, m.zeros(x.getShape()),
                m.create(new float[]{0.02f, 0.03f, -0.1f, 0.01f, 0.1f, 0.1f}, x.getShape()), 1f, 0.5f, 0.15f)), 1e-6f);
        assertEquals(0f, gradientDrift((m, x) -> Layers.swish(x)), 1e-6f);
    }

    /**
     * Layers.swish exists because DJL's Activation.swish(x, beta) can lose its gradient when freed
     * native memory is reused (whether it does is up to the allocator, so that hazard cannot be
     * asserted here). What can: the workaround's gradient is swish's analytic derivative,
     * sigmoid(x) * (1 + x * (1 - sigmoid(x))), under the same memory churn.
     */
    @Test
    void layersSwishGradientIsTheAnalyticDerivative() {
        TorchSetup.configure(1);
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            float[] g = gradient(m, (mm, x) -> Layers.swish(x), true);
            for (int i = 0; i < X.length; i++) {
                double sig = 1 / (1 + Math.exp(-X[i]));
                assertEquals(sig * (1 + X[i] * (1 - sig)), g[i], 1e-5, "d swish / dx at " + X[i]);
            }
        }
    }
}

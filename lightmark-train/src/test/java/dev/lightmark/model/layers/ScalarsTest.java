package dev.lightmark.model.layers;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.*;

class ScalarsTest {
    /** The constants must outlive a garbage collection between forward and backward. */
    @Test
    void gradientsThroughScalarConstantsSurviveAGarbageCollection() {
        assertEquals(0, wrongGradients(x -> Scalars.mul(Scalars.div(x, 4f), 3f)));
    }

    /** Counts rounds whose gradient of sum(f(x)) is not 3/4 when memory is churned before backward. */
    /* DJL's own x.div(4f).mul(3f) gave 15 wrong of 15 here (DJL 0.35.1, PyTorch 2.7.1). */
    static int wrongGradients(UnaryOperator<NDArray> f) {
        TorchSetup.configure(1);
        int wrong = 0;
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            for (int round = 0; round < 5; round++) {
                try (NDManager step = m.newSubManager()) {
                    NDArray x = step.create(new float[]{1f, 2f, 3f}, new Shape(3));
                    x.setRequiresGradient(true);
                    try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                        NDArray y = f.apply(x).sum();
                        // Collect, then churn direct buffers so that freed ones are reused.
                        System.gc();
                        for (int i = 0; i < 200; i++) step.create(new float[]{1e30f, Float.NaN}).close();
                        gc.backward(y);
                    }
                    float[] g = x.getGradient().toFloatArray();
                    for (float v : g) if (Math.abs(v - 0.75f) > 1e-6f) wrong++;
                }
            }
        }
        return wrong;
    }
}

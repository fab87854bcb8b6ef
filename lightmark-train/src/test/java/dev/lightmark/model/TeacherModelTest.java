package dev.lightmark.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TeacherModelTest {
    /** Resampling 112 -> 128 keeps a constant image constant and a horizontal ramp a ramp of the same slope per crop unit. */
    @Test
    void resamplingKeepsConstantsAndRamps() {
        TorchSetup.configure(1);
        int s = 112, t = 128;
        float[] x = new float[2 * 3 * s * s];
        for (int c = 0; c < 2 * 3; c++)
            for (int v = 0; v < s; v++)
                for (int u = 0; u < s; u++) x[(c * s + v) * s + u] = c == 0 ? 7f : (u + 0.5f) / s;   // plane 0 constant, others a ramp
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            NDArray y = TeacherModel.resample(m.create(x, new Shape(2, 3, s, s)), s, t);
            assertEquals(new Shape(2, 3, t, t), y.getShape());
            float[] out = y.toFloatArray();
            for (int v = 0; v < t; v++)
                for (int u = 0; u < t; u++) {
                    assertEquals(7f, out[v * t + u], 1e-4f);
                    if (u > 0 && u < t - 1)   // away from the clamped edge pixels the ramp is exact
                        assertEquals((u + 0.5f) / t, out[(t + v) * t + u], 1e-4f, "u " + u);
                }
        }
    }
}

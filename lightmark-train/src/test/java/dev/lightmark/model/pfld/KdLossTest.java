package dev.lightmark.model.pfld;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class KdLossTest {
    @Test
    void pullsBeyondTheTeacherPushesBetweenAndIgnoresTheDeadZone() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            // Truth 0 everywhere, teacher error 0.1 on every coordinate (on either side).
            NDArray truth = m.zeros(new Shape(1, 4));
            NDArray teacher = m.create(new float[]{0.1f, -0.1f, 0.1f, -0.1f}, new Shape(1, 4));
            // Student errors: 0.3 (beyond), -0.05 (between), 0.01 (dead zone: < 0.15 * 0.1), -0.1 (on the radius).
            NDArray pred = m.create(new float[]{0.3f, -0.05f, 0.01f, -0.1f}, new Shape(1, 4));
            pred.setRequiresGradient(true);
            float loss;
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray l = KdLoss.assistive(pred, truth, teacher, 1f, 0.5f, 0.15f).sum();
                gc.backward(l);
                loss = l.getFloat();
            }
            // 1 * (0.3 - 0.1) - 0.5 * (0.1 - 0.05) + 0 - 0.5 * 0
            assertEquals(0.2f - 0.025f, loss, 1e-6f);
            float[] g = pred.getGradient().toFloatArray();
            assertEquals(1f, g[0], 1e-6f);     // pulled down towards the teacher's radius
            assertEquals(-0.5f, g[1], 1e-6f);  // pushed up, towards the truth at 0
            assertEquals(0f, g[2], 1e-6f);     // close enough: left to the main loss
        }
    }
}

package dev.lightmark.train;

import dev.lightmark.testdata.TorchTest;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class HeatmapLossTest extends TorchTest {
    /** 4x4 map: a peak of 1 at (row 1, col 1) and a faint 0.1 at (3, 3). */
    private static NDArray gt() {
        float[] g = new float[16];
        g[5] = 1f;
        g[15] = 0.1f;
        return m.create(g, new Shape(1, 1, 4, 4));
    }

    @Test
    void maskIsTheDilatedGroundTruthAboveThreshold() {
        float[] mask = HeatmapLoss.foregroundMask(gt(), 0.2f).toFloatArray();
        float[] expected = {
                1, 1, 1, 0,
                1, 1, 1, 0,
                1, 1, 1, 0,
                0, 0, 0, 0};   // the 0.1 pixel and its neighbours stay below 0.2
        assertArrayEquals(expected, mask);
    }

    @Test
    void weightedMseMatchesHandValues() {
        NDArray pred = m.zeros(new Shape(1, 1, 4, 4));
        // Plain: (1^2 + 0.1^2) / 16. Weighted, W = 10: (1 * 11 + 0.01 * 1) / 16.
        assertEquals(1.01f / 16, HeatmapLoss.mse(pred, gt()).getFloat(), 1e-7f);
        assertEquals(1.01f / 16, HeatmapLoss.compute(HeatmapLoss.Settings.PLAIN_MSE, pred, gt()).getFloat(), 1e-7f);
        assertEquals(11.01f / 16, HeatmapLoss.weightedMse(pred, gt(), 10f).getFloat(), 1e-6f);
        assertEquals(11.01f / 16, HeatmapLoss.compute(HeatmapLoss.Settings.WEIGHTED_MSE, pred, gt()).getFloat(), 1e-6f);
    }

    @Test
    void weightedMseGradientCarriesTheWeights() {
        NDArray pred = m.zeros(new Shape(1, 1, 4, 4));
        pred.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            gc.backward(HeatmapLoss.weightedMse(pred, gt(), 10f));
        }
        float[] g = pred.getGradient().toFloatArray();
        assertEquals(2 * (0 - 1f) * 11 / 16, g[5], 1e-6f);      // foreground: weight 11
        assertEquals(2 * (0 - 0.1f) * 1 / 16, g[15], 1e-6f);    // background: weight 1
        assertEquals(0f, g[0], 0f);
    }

    @Test
    void adaptiveWingMatchesHandValues() {
        // y = 1, pred 0.8: |d| = 0.2 < theta -> 14 ln(1 + 0.2^1.1) = 2.20126
        // y = 0, pred 0.7: |d| = 0.7 >= theta -> A * 0.7 - C = 5.15952
        // y = 0.5, pred 0.8: exponent 1.6 -> 14 ln(1 + 0.3^1.6) = 1.90395
        // y = 0, pred 0: 0.
        NDArray y = m.create(new float[]{1f, 0f, 0.5f, 0f}, new Shape(1, 1, 2, 2));
        NDArray p = m.create(new float[]{0.8f, 0.7f, 0.8f, 0f}, new Shape(1, 1, 2, 2));
        float[] l = HeatmapLoss.adaptiveWing(p, y).toFloatArray();
        assertEquals(2.201259f, l[0], 2e-5f);
        assertEquals(5.159519f, l[1], 2e-5f);
        assertEquals(1.903953f, l[2], 2e-5f);
        assertEquals(0f, l[3], 1e-7f);
        assertEquals((2.201259f + 5.159519f + 1.903953f) / 4,
                HeatmapLoss.compute(new HeatmapLoss.Settings(HeatmapLoss.Kind.AWING, 0f, 0.2f), p, y).getFloat(), 2e-5f);
    }

    @Test
    void adaptiveWingIsContinuousAtThetaAndHasFiniteGradients() {
        NDArray y = m.create(new float[]{0f, 0f, 1f, 1f, 0.3f, 0.3f}, new Shape(1, 1, 1, 6));
        NDArray p = m.create(new float[]{0.49999f, 0.50001f, 0.50001f, 0.49999f, 0.3f, 0.9f}, new Shape(1, 1, 1, 6));
        p.setRequiresGradient(true);
        float[] l;
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray loss = HeatmapLoss.adaptiveWing(p, y);
            l = loss.toFloatArray();
            gc.backward(loss.sum());
        }
        // Slopes near theta are about 11 (y = 0) and 14 (y = 1): a 2e-5 step moves the loss < 3e-4.
        assertEquals(l[0], l[1], 3e-4f);
        assertEquals(l[2], l[3], 3e-4f);
        for (float g : p.getGradient().toFloatArray()) assertTrue(Float.isFinite(g), "gradient " + g);
        assertEquals(0f, p.getGradient().toFloatArray()[4], 1e-6f, "no gradient at a perfect prediction");
    }
}

package dev.lightmark.model.tsal;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lightmark.model.layers.TorchSetup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class TsalLossesTest {
    private static final float[] IDENTITY = {1, 0, 0, 0, 1, 0};

    @BeforeAll
    static void torch() { TorchSetup.configure(1); }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = r.nextFloat();
        return f;
    }

    @Test
    void consistencyIsZeroForIdenticalPredictionsAndGrowsWithAShift() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            float[] p = random(2 * 136, 1);
            NDArray a = m.create(p, new Shape(2, 136)), b = m.create(p, new Shape(2, 136));
            float[] maps = new float[12];
            for (int i = 0; i < 2; i++) System.arraycopy(IDENTITY, 0, maps, 6 * i, 6);
            assertEquals(0f, TsalLosses.consistency(a, b, maps, new float[]{0.3f, 0.3f}).getFloat(), 0f);

            // Crop T shifted by 0.1 in x against crop D: the same points read in T differ by -0.1
            // in T units, and the map from T to D puts them back.
            float[] shifted = p.clone();
            for (int i = 0; i < shifted.length; i += 2) shifted[i] -= 0.1f;
            NDArray t = m.create(shifted, new Shape(2, 136));
            float[] tToD = {1, 0, 0.1f, 0, 1, 0, 1, 0, 0.1f, 0, 1, 0};
            assertEquals(0f, TsalLosses.consistency(a, t, tToD, new float[]{0.3f, 0.3f}).getFloat(), 1e-5f);
            // Without the map the error is 0.1 per point, over io 0.5: 0.2.
            assertEquals(0.2f, TsalLosses.consistency(a, t, maps, new float[]{0.5f, 0.5f}).getFloat(), 1e-4f);
        }
    }

    @Test
    void maskedLossesIgnoreDroppedPoints() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            float[] target = random(136, 2), pred = target.clone();
            pred[10] += 0.5f;                           // point 5 is wrong ...
            float[] mask = new float[68];
            java.util.Arrays.fill(mask, 1f);
            NDArray p = m.create(pred, new Shape(1, 136)), t = m.create(target, new Shape(1, 136));
            assertEquals(0.5f / 68, TsalLosses.points(p, t, mask).getFloat(), 1e-6f);
            mask[5] = 0f;                               // ... and masked out
            assertEquals(0f, TsalLosses.points(p, t, mask).getFloat(), 1e-7f);

            float[] gt = new float[68 * 4 * 4], hm = gt.clone();
            gt[5 * 16 + 5] = 1f;
            NDArray g = m.create(gt, new Shape(1, 68, 4, 4)), h = m.create(hm, new Shape(1, 68, 4, 4));
            assertEquals(0f, TsalLosses.heatmaps(h, g, mask, 10f).getFloat(), 0f);
            mask[5] = 1f;
            assertTrue(TsalLosses.heatmaps(h, g, mask, 10f).getFloat() > 0f);
        }
    }

    @Test
    void softArgmaxFindsASharpPeak() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            float[] maps = new float[2 * 8 * 8];
            maps[3 * 8 + 5] = 1f;                  // map 0: peak at pixel (5, 3)
            maps[64 + 6 * 8 + 1] = 1f;             // map 1: peak at pixel (1, 6)
            float[] xy = TsalLosses.softArgmax(m.create(maps, new Shape(1, 2, 8, 8)), 40f).toFloatArray();
            assertArrayEquals(new float[]{5.5f / 8, 3.5f / 8, 1.5f / 8, 6.5f / 8}, xy, 1e-4f);
        }
    }
}

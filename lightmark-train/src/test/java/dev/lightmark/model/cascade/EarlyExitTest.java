package dev.lightmark.model.cascade;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.lightmark.model.layers.TorchSetup;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class EarlyExitTest {
    @Test
    void eachFaceStopsAtTheFirstStageWhosePredictedErrorIsBelowTheThreshold() {
        TorchSetup.configure(1);
        CascadeSpec spec = CascadeCostTest.tiny();
        spec.stages = 4;
        int n = 12, s = 32, k2 = 136;
        float[] crops = new float[n * 3 * s * s];
        Random r = new Random(5);
        for (int i = 0; i < crops.length; i++) crops[i] = (float) r.nextGaussian();
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            Engine.getEngine("PyTorch").setRandomSeed(7);
            CascadeNet net = new CascadeNet(spec, 68, s);
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, s, s));
            ParameterStore ps = new ParameterStore(m, false);
            // Untrained error heads predict values around 0; lift them so positive thresholds fall among them.
            for (int t = 0; t < 4; t++) {
                ai.djl.nn.Parameter last = null;
                for (var p : net.stage(t).getParameters())
                    if (p.getKey().contains("errorHead") && p.getKey().endsWith("bias")) last = p.getValue();
                last.getArray().addi(1f);
            }
            CascadeNet.Trace all = net.run(ps, m, crops, n, 4, 0f);
            for (int f = 0; f < n; f++) assertEquals(4, all.stagesRun()[f]);

            // A threshold between the predicted errors, so that faces leave at different stages.
            float[] errs = new float[4 * n];
            for (int t = 0; t < 4; t++) System.arraycopy(all.predictedError()[t], 0, errs, t * n, n);
            Arrays.sort(errs);
            float threshold = errs[errs.length / 3];
            assertTrue(threshold > 0, "the untrained error head of this seed predicts non-positive errors; pick another seed");
            CascadeNet.Trace early = net.run(ps, m, crops, n, 4, threshold);
            int[] seen = new int[5];
            for (int f = 0; f < n; f++) {
                int expected = 4;
                for (int t = 0; t < 4; t++)
                    if (all.predictedError()[t][f] < threshold) { expected = t + 1; break; }
                assertEquals(expected, early.stagesRun()[f], "face " + f);
                seen[expected]++;
                // The face keeps the shape of the stage where it stopped, and later stages never ran on it.
                float[] want = Arrays.copyOfRange(all.shapes()[expected - 1], f * k2, (f + 1) * k2);
                float[] got = Arrays.copyOfRange(early.finalShapes(), f * k2, (f + 1) * k2);
                assertArrayEquals(want, got, 1e-4f);   // batch size changes float summation order only
                for (int t = expected; t < 4; t++) assertTrue(Float.isNaN(early.predictedError()[t][f]));
            }
            assertTrue(seen[4] < n, "no face left early: " + Arrays.toString(seen));
            assertTrue(seen[1] < n, "every face left after stage 1: " + Arrays.toString(seen));
        }
    }

    @Test
    void theBlockForwardHonoursStageCountAndThreshold() {
        TorchSetup.configure(1);
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            CascadeNet net = new CascadeNet(CascadeCostTest.tiny(), 68, 32);
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            ParameterStore ps = new ParameterStore(m, false);
            net.setRunStages(1);
            var out = net.forward(ps, new ai.djl.ndarray.NDList(m.zeros(new Shape(3, 3, 32, 32))), false);
            assertEquals(new Shape(3, 136), out.singletonOrThrow().getShape());
            assertEquals(1.0, net.meanStagesRun(), 1e-9);
            assertThrows(IllegalArgumentException.class, () -> net.setRunStages(3));
            assertThrows(IllegalArgumentException.class, () -> net.setExitThreshold(-1f));
        }
    }
}

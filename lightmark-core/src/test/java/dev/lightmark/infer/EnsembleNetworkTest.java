package dev.lightmark.infer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class EnsembleNetworkTest {
    /** A network that answers every face with the same points and remembers being closed. */
    private static final class Constant implements LandmarkNetwork {
        final ModelSpec spec = new ModelSpec();
        final float value;
        boolean closed;

        Constant(float value, int inputSize) {
            this.value = value;
            spec.inputSize = inputSize;
            spec.points = 2;
        }

        @Override public ModelSpec spec() { return spec; }

        @Override
        public float[] forward(float[] input, int n) {
            float[] y = new float[n * 4];
            java.util.Arrays.fill(y, value);
            return y;
        }

        @Override public long parameterCount() { return 10; }
        @Override public String runtime() { return "test"; }
        @Override public void close() { closed = true; }
    }

    @Test
    void theEnsembleAveragesItsMembersAndClosesThem() {
        Constant a = new Constant(0.2f, 64), b = new Constant(0.6f, 64);
        try (EnsembleNetwork e = new EnsembleNetwork(List.of(a, b))) {
            float[] y = e.forward(new float[2 * 3 * 64 * 64], 2);
            assertEquals(8, y.length);
            for (float v : y) assertEquals(0.4f, v, 1e-6);
            assertEquals("ensemble", e.spec().architecture);
            assertEquals(20, e.parameterCount());
        }
        assertTrue(a.closed && b.closed, "closing the ensemble closes its members");
    }

    @Test
    void membersMustShareTheCropAndThereMustBeTwo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EnsembleNetwork(List.of(new Constant(0f, 64), new Constant(0f, 96))));
        assertTrue(e.getMessage().contains("share the crop"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EnsembleNetwork(List.of(new Constant(0f, 64))));
    }

    @Test
    void reportsNameEveryMemberOfAnEnsemble() {
        assertEquals("a.onnx+b.onnx+default", LandmarkPredictor.displayName(Path.of("runs/x/a.onnx+/models/b.onnx+default")));
        assertEquals("m.onnx", LandmarkPredictor.displayName(Path.of("runs/m.onnx")));
        assertEquals("bundled", LandmarkPredictor.displayName(null));
    }

    @Test
    void aPlusJoinsBundledModelsAndFilesIntoOneModel() throws Exception {
        try (LandmarkPredictor p = LandmarkPredictor.load(Path.of("default+default"), 1);
             LandmarkPredictor one = LandmarkPredictor.load(Path.of("default"), 1)) {
            assertEquals("ensemble", p.spec().architecture);
            assertEquals(128, p.spec().inputSize);
            assertFalse(p.flipByDefault(), "the first member's flip default");
            float[] x = new float[3 * 128 * 128];
            assertArrayEquals(one.forward(x, 1), p.forward(x, 1), 1e-6f, "the mean of a model and itself is the model");
        }
        IllegalArgumentException crop = assertThrows(IllegalArgumentException.class, () -> LandmarkPredictor.load(Path.of("default+fast"), 1));
        assertTrue(crop.getMessage().contains("share the crop"), crop.getMessage());
        IOException missing = assertThrows(IOException.class, () -> LandmarkPredictor.load(Path.of("default+nothing.onnx"), 1));
        assertTrue(missing.getMessage().contains("nothing.onnx"), missing.getMessage());
        assertThrows(IOException.class, () -> LandmarkPredictor.load(Path.of("default++fast"), 1));
    }
}

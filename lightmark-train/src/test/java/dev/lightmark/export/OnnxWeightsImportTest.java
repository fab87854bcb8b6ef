package dev.lightmark.export;

import dev.lightmark.testdata.TorchTest;
import dev.lightmark.train.CalibrationFaces;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.model.hourglass.StackGrowth;

import dev.lightmark.train.ModelFile;
import dev.lightmark.train.OnnxWeights;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** A float export read back into a fresh network (batch norms folded) gives the same outputs. */
class OnnxWeightsImportTest extends TorchTest {
    @Test
    void aFloatExportReadBackComputesWhatTheTrainedNetworkDid() throws Exception {
        ModelSpec spec = hourglassSpec(32);
        Block trained = ExportFixtures.randomNet(m, spec, 21);
        byte[] onnx = OnnxExporter.toOnnx(trained, spec);
        Block fresh = ExportFixtures.randomNet(m, spec, 99);   // other weights, other batch-norm statistics
        float[] x = ExportFixtures.faces(2, 64, 22);
        float[] before = forward(fresh, x), want = forward(trained, x);
        assertTrue(ExportFixtures.maxAbs(before, want) > 1e-2, "the fresh network starts elsewhere");
        List<String> norms = OnnxWeights.load(fresh, onnx, "trained.onnx");
        assertFalse(norms.isEmpty(), "the hourglass has folded batch norms");
        float[] got = forward(fresh, x, false);
        double scale = Math.max(1, ExportFixtures.maxAbs(want, new float[want.length]));
        System.out.printf("ONNX weights read back: max |fresh - trained| = %.3g (outputs up to %.3g)%n", ExportFixtures.maxAbs(got, want), scale);
        assertTrue(ExportFixtures.maxAbs(got, want) < 1e-4 * scale, "max difference " + ExportFixtures.maxAbs(got, want));

        // Training mode renormalises with batch statistics: far off until the norms are calibrated.
        float[] calib = ExportFixtures.faces(8, 64, 23);
        float[] evalCalib = forward(fresh, calib, false, 8);
        double uncalibrated = ExportFixtures.maxAbs(forward(fresh, calib, true, 8), evalCalib);
        try (NDManager c = m.newSubManager()) {
            OnnxWeights.calibrate(fresh, norms, c.create(calib, new Shape(8, 3, 64, 64)));
        }
        double inference = ExportFixtures.maxAbs(forward(fresh, x, false), want), training = ExportFixtures.maxAbs(forward(fresh, calib, true, 8), evalCalib);
        System.out.printf("training mode vs inference on the calibration faces: %.3g before, %.3g after calibration; inference still %.3g%n",
                uncalibrated, training, inference);
        assertTrue(inference < 1e-4 * scale, "calibration changed inference: " + inference);
        assertTrue(training < 1e-2 * scale && training < uncalibrated / 10, "training mode after calibration: " + training);
    }

    @Test
    void aOneStackFileGrowsIntoTwoStacksThatComputeTheSame() throws Exception {
        ModelSpec one = ExportFixtures.hourglassSpec(1, 2, 32, 64), two = ExportFixtures.hourglassSpec(2, 2, 32, 64);
        Block trained = ExportFixtures.randomNet(m, one, 31);
        byte[] onnx = OnnxExporter.toOnnx(trained, one);
        Block grown = ExportFixtures.randomNet(m, two, 32);
        float[] x = ExportFixtures.faces(2, 64, 33), want = forward(trained, x);
        assertTrue(ExportFixtures.maxAbs(forward(grown, x), want) > 1e-2, "the two-stack network starts elsewhere");
        IOException e = assertThrows(IOException.class, () -> OnnxWeights.load(grown, onnx, "one.onnx"));
        assertTrue(e.getMessage().contains("Back0_"), "without growth the second stack is missing: " + e.getMessage());

        List<String> norms = OnnxWeights.load(grown, onnx, "one.onnx", StackGrowth.fromFirstStack(grown));
        double scale = Math.max(1, ExportFixtures.maxAbs(want, new float[want.length]));
        double diff = ExportFixtures.maxAbs(forward(grown, x), want);
        System.out.printf("one stack grown to two: max |grown - file| = %.3g (outputs up to %.3g), %d folded norms%n", diff, scale, norms.size());
        assertTrue(diff < 1e-4 * scale, "max difference " + diff);
        assertTrue(norms.stream().anyMatch(n -> n.contains("hourglass1_")), "the copied stack's norms are calibrated too");
        for (var p : grown.getParameters())
            if (p.getKey().contains("featuresBack0_") || p.getKey().contains("heatmapsBack0_"))
                assertEquals(0, ExportFixtures.maxAbs(p.getValue().getArray().toFloatArray(), new float[(int) p.getValue().getArray().size()]), p.getKey());
    }

    @Test
    void anInt8FileGivesBackItsDequantisedWeights() throws Exception {
        ModelSpec spec = hourglassSpec(32);
        Block trained = ExportFixtures.randomNet(m, spec, 25);
        byte[] int8 = OnnxExporter.toInt8Onnx(trained, spec,
                new CalibrationFaces.Inputs(ExportFixtures.faces(4, 64, 26), 4, "4 synthetic faces"));
        Block net = ExportFixtures.randomNet(m, spec, 27);
        List<String> norms = OnnxWeights.load(net, int8, "q.onnx");
        Block floats = ExportFixtures.randomNet(m, spec, 28);
        OnnxWeights.load(floats, OnnxExporter.toOnnx(trained, spec), "f.onnx");
        // Each weight within half a 7-bit step (max |w| / 63 per output channel) of the float file's.
        int compared = 0;
        var fp = floats.getParameters();
        for (var p : net.getParameters()) {
            if (!p.getKey().endsWith("_weight") || p.getValue().getArray().getShape().dimension() != 4) continue;
            float[] q = p.getValue().getArray().toFloatArray(), f = fp.get(p.getKey()).getArray().toFloatArray();
            double step = ExportFixtures.maxAbs(f, new float[f.length]) / 63;
            assertTrue(ExportFixtures.maxAbs(q, f) <= step / 2 + 1e-6, p.getKey() + ": " + ExportFixtures.maxAbs(q, f) + " > " + step / 2);
            assertTrue(ExportFixtures.maxAbs(q, f) > 0 || step == 0, p.getKey() + " was not quantised");
            compared++;
        }
        assertTrue(compared > 20 && !norms.isEmpty(), compared + " convolutions");
        float[] x = ExportFixtures.faces(2, 64, 29), want = forward(trained, x), got = forward(net, x);
        double scale = Math.max(1, ExportFixtures.maxAbs(want, new float[want.length]));
        System.out.printf("int8 file read back: max |dequantised - trained| = %.3g (outputs up to %.3g)%n", ExportFixtures.maxAbs(got, want), scale);
        assertTrue(ExportFixtures.maxAbs(got, want) < 0.1 * scale, "max difference " + ExportFixtures.maxAbs(got, want));
    }

    @Test
    void anotherSizeAndJunkAreRefusedByName() throws Exception {
        ModelSpec spec = hourglassSpec(32);
        byte[] onnx = OnnxExporter.toOnnx(ExportFixtures.randomNet(m, spec, 23), spec);
        Block wider = ExportFixtures.randomNet(m, hourglassSpec(48), 24);
        IOException e = assertThrows(IOException.class, () -> OnnxWeights.load(wider, onnx, "small.onnx"));
        assertTrue(e.getMessage().startsWith("small.onnx: ") && e.getMessage().contains("not the same"), e.getMessage());

        Block net = ModelFile.build(spec);
        net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
        e = assertThrows(IOException.class, () -> OnnxWeights.load(net, new byte[]{0x3a, 0x7f, 1}, "junk.onnx"));
        assertTrue(e.getMessage().startsWith("junk.onnx: not a readable ONNX file"), e.getMessage());
    }

    private static float[] forward(Block net, float[] x) { return forward(net, x, false); }

    private static float[] forward(Block net, float[] x, boolean training) { return forward(net, x, training, 2); }

    /** A forward in inference or training mode; training mode also moves the running statistics, so they are put back. */
    private static float[] forward(Block net, float[] x, boolean training, int n) {
        java.util.Map<String, float[]> running = new java.util.HashMap<>();
        for (var p : net.getParameters())
            if (p.getKey().endsWith("_runningMean") || p.getKey().endsWith("_runningVar")) running.put(p.getKey(), p.getValue().getArray().toFloatArray());
        try (NDManager step = m.newSubManager()) {
            NDList out = net.forward(new ParameterStore(step, false), new NDList(step.create(x, new Shape(n, 3, 64, 64))), training);
            return out.get(0).toFloatArray();
        } finally {
            for (var p : net.getParameters())
                if (running.containsKey(p.getKey())) p.getValue().getArray().set(java.nio.FloatBuffer.wrap(running.get(p.getKey())));
        }
    }

    private static ModelSpec hourglassSpec(int channels) { return ExportFixtures.hourglassSpec(1, 2, channels, 64); }
}

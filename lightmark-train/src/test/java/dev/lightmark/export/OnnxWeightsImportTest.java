package dev.lightmark.export;

import dev.lightmark.train.CalibrationFaces;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.model.layers.TorchSetup;
import dev.lightmark.train.ModelFile;
import dev.lightmark.train.OnnxWeights;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** A float export read back into a fresh network (batch norms folded) gives the same outputs. */
class OnnxWeightsImportTest {
    private static NDManager m;

    @BeforeAll
    static void start() {
        TorchSetup.configure(1);
        m = Engine.getEngine("PyTorch").newBaseManager();
    }

    @AfterAll
    static void stop() { m.close(); }

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
    void anotherSizeAnInt8FileAndJunkAreRefusedByName() throws Exception {
        ModelSpec spec = hourglassSpec(32);
        byte[] onnx = OnnxExporter.toOnnx(ExportFixtures.randomNet(m, spec, 23), spec);
        Block wider = ExportFixtures.randomNet(m, hourglassSpec(48), 24);
        IOException e = assertThrows(IOException.class, () -> OnnxWeights.load(wider, onnx, "small.onnx"));
        assertTrue(e.getMessage().startsWith("small.onnx: ") && e.getMessage().contains("not the same"), e.getMessage());

        Block net = ModelFile.build(spec);
        net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
        byte[] int8 = OnnxExporter.toInt8Onnx(ExportFixtures.randomNet(m, spec, 25), spec,
                new CalibrationFaces.Inputs(ExportFixtures.faces(4, 64, 26), 4, "4 synthetic faces"));
        e = assertThrows(IOException.class, () -> OnnxWeights.load(net, int8, "q.onnx"));
        assertTrue(e.getMessage().contains("int8 file"), e.getMessage());
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

package dev.lightmark.export;

import dev.lightmark.testdata.TorchTest;
import dev.lightmark.train.CalibrationFaces;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.model.hourglass.HourglassArchitecture;
import dev.lightmark.model.hourglass.HourglassSpec;

import dev.lightmark.testdata.SyntheticFaces;
import dev.lightmark.train.ModelFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The int8 export: the quantised graph stays close to the float network, ONNX Runtime really runs
 * it on integer kernels (its optimised graph holds QLinearConv and QLinearAdd, not float convs
 * with dequantised inputs), and the calibrated ranges follow the rules the kernels need.
 */
class Int8ExportTest extends TorchTest {
    @TempDir Path dir;

    @Test
    void aQuantisedHourglassStaysCloseToTheFloatOneAndRunsOnIntegerKernels() throws Exception {
        ModelSpec spec = hourglassSpec();
        Block net = randomNet(spec, 7);
        int s = spec.inputSize;
        byte[] int8 = OnnxExporter.toInt8Onnx(net, spec, new CalibrationFaces.Inputs(ExportFixtures.faces(24, s, 1), 24, "24 synthetic faces"));
        byte[] fp32 = OnnxExporter.toOnnx(net, spec);

        float[] x = ExportFixtures.faces(4, s, 2);   // faces the calibration did not see
        float[] a = run(fp32, x, 4, s, null), b = run(int8, x, 4, s, dir.resolve("optimised.onnx"));
        double relative = relativeRms(a, b);
        System.out.printf("int8 hourglass: relative RMS difference of the heatmaps %.4f%n", relative);
        assertTrue(relative < 0.05, "int8 heatmaps differ from float ones by " + relative + " (relative RMS)");
        assertTrue(relative > 0, "identical outputs: nothing was quantised");

        String optimised = new String(Files.readAllBytes(dir.resolve("optimised.onnx")), StandardCharsets.ISO_8859_1);
        assertTrue(optimised.contains("QLinearConv"), "ONNX Runtime did not fuse the convolutions into integer kernels");
        assertTrue(optimised.contains("QLinearAdd"), "ONNX Runtime did not fuse the residual additions into integer kernels");
        // NodeProto.op_type is field 4: tag 0x22, then the length of the name.
        assertFalse(optimised.contains("\"\u0004Conv") || optimised.contains("\"\tFusedConv"),
                "a float convolution is left (the heatmap head should run on integers too)");
        assertFalse(optimised.contains("\"\u0006Resize"), "the upsampling runs as Resize, which copies bytes one by one");
        assertTrue(optimised.contains("\"\u0006Expand"), "the upsampling should run as an Expand of whole pixels");
        assertFalse(optimised.contains("\"\u0012QLinearAveragePool"), "coordinate attention's means run as QLinearAveragePool (slower)");
        assertTrue(optimised.contains("\"\nReduceMean"), "coordinate attention's means should run as ReduceMean");
        assertTrue(optimised.contains("\"\u000bHardSigmoid"), "the h-swish should be a HardSigmoid and a Mul, not Add, Clip, Mul, Mul");

        try (OrtSession session = OrtEnvironment.getEnvironment().createSession(int8, new OrtSession.SessionOptions())) {
            assertEquals(java.util.List.of(HourglassOnnx.OUTPUT), java.util.List.copyOf(session.getOutputNames()));
            String q = session.getMetadata().getCustomMetadata().get("lightmark.quantization");
            assertNotNull(q, "the model should say it is quantised");
            assertTrue(q.contains("24 synthetic faces"), q);
        }
    }

    @Test
    void architecturesWithoutAnInt8CheckAreRefused() {
        ModelSpec pfld = new ModelSpec();   // PFLD-0.25X: its depthwise layers ran slower in int8 than in float
        Block net = randomNet(pfld, 9);
        for (String arch : java.util.List.of("pfld", "cascade")) {
            ModelSpec spec = new ModelSpec();
            spec.architecture = arch;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> OnnxExporter.toInt8Onnx(net, spec, new CalibrationFaces.Inputs(new float[3 * 112 * 112], 1, "one face")));
            assertTrue(e.getMessage().contains("not " + arch), e.getMessage());
        }
    }

    @Test
    void aModelFileExportsAsInt8AndLoadsAsAPredictor() throws Exception {
        ModelSpec spec = hourglassSpec();
        Block net = randomNet(spec, 8);
        Path lmk = dir.resolve("hg.lmk"), onnx = dir.resolve("hg-int8.onnx");
        ModelFile.save(lmk, spec, net);
        Path faces = dir.resolve("faces");
        SyntheticFaces.write(faces, 6, 96, 9);
        OnnxExporter.exportInt8(lmk, onnx, faces.toString(), 4);
        assertTrue(Files.isRegularFile(onnx.resolveSibling("hg-int8.onnx.sha256")), "no checksum beside the model");
        try (var p = dev.lightmark.infer.LandmarkPredictor.load(onnx, 1)) {
            assertEquals("onnxruntime", p.runtime());
            assertEquals(spec.inputSize, p.spec().inputSize);
            float[] out = p.forward(ExportFixtures.faces(1, spec.inputSize, 3), 1);
            assertEquals(2 * 68, out.length);
            for (float v : out) assertTrue(Float.isFinite(v) && v > -0.5f && v < 1.5f, "point outside the crop: " + v);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxExporter.exportInt8(lmk, dir.resolve("x.onnx"), faces.toString(), 0));
        assertTrue(e.getMessage().contains("at least one face"), e.getMessage());
    }

    @Test
    void rangesHoldZeroSoThatReluOutputsGetZeroPointZero() {
        Int8Quantizer.Range relu = new Int8Quantizer.Range(0.25f, 6f);
        assertEquals(0f, relu.lo());
        assertEquals(0, relu.zeroPoint());
        assertEquals(6f / 255f, relu.scale(), 1e-9);
        Int8Quantizer.Range signed = new Int8Quantizer.Range(-1f, 1f);
        assertTrue(Math.abs(signed.zeroPoint() - 127.5) < 1, "zero point " + signed.zeroPoint());   // 127.5, rounded
        Int8Quantizer.Range negative = new Int8Quantizer.Range(-3f, -1f);
        assertEquals(0f, negative.hi());
        assertEquals(255, negative.zeroPoint());
        Int8Quantizer.Range flat = new Int8Quantizer.Range(0f, 0f);
        assertEquals(1f, flat.scale());
        assertEquals(0, flat.zeroPoint());
        assertEquals(new Int8Quantizer.Range(-2f, 3f), new Int8Quantizer.Range(-2f, 1f).union(new Int8Quantizer.Range(0f, 3f)));
    }

    @Test
    void weightsUseSevenBitsAndReluInputsStayFloat() {
        // input -> Conv -> Relu -> Conv -> output, by hand
        OnnxGraph g = new OnnxGraph();
        g.input(OnnxExporter.INPUT, -1, 2, 4, 4);
        float[] w = {1.5f, -2f, 0.5f, 4f};   // (2, 2, 1, 1): the largest weights are 2 and 4
        String h = g.node("Conv", "h", java.util.List.of(OnnxExporter.INPUT, g.initializer("w1", new long[]{2, 2, 1, 1}, w),
                g.initializer("b1", new long[]{2}, new float[]{0.1f, -0.1f})));
        String r = g.node("Relu", "r", java.util.List.of(h));
        String y = g.node("Conv", "y", java.util.List.of(r, g.initializer("w2", new long[]{1, 2, 1, 1}, new float[]{1f, 1f})));
        g.output(y, -1, 1, 4, 4);
        assertEquals(java.util.List.of(OnnxExporter.INPUT, r), Int8Quantizer.targets(g), "the convolutions' inputs, not the Relu's");

        Int8Quantizer.quantize(g, Map.of(OnnxExporter.INPUT, new Int8Quantizer.Range(-1f, 1f), r, new Int8Quantizer.Range(0f, 5f)));
        OnnxGraph.Tensor q = g.constant("w1_int8");
        assertNotNull(q, "the first weight as int8");
        assertEquals(OnnxGraph.INT8, q.type());
        assertArrayEquals(new byte[]{47, -63, 8, 63}, q.raw(), "per output channel, scaled to +-63");
        assertNull(g.constant("w1"), "the float weight is dropped");
        ByteBufferInts bias = new ByteBufferInts(g.constant("b1_int32").raw());
        float inputScale = 2f / 255f;
        assertEquals(0.1 / (inputScale * 2.0 / 63), bias.get(0), 1.0, "bias in units of input scale x weight scale");
        long dq = g.nodes().stream().filter(n -> n.op.equals("DequantizeLinear")).count();
        assertEquals(2 + 3, dq, "two activations, two weights and one bias are dequantised");
        assertTrue(g.nodes().stream().noneMatch(n -> n.op.equals("QuantizeLinear") && n.inputs.get(0).equals(h)),
                "the Relu's input stays float: the optimiser drops a Relu before a zero-point-0 quantisation");
    }

    @Test
    void aDeadChannelGetsZeroWeightsAndANormalScaleNotASubnormalOne() {
        // input -> Conv -> output; channel 1's weights are what weight decay leaves of an unused channel
        OnnxGraph g = new OnnxGraph();
        g.input(OnnxExporter.INPUT, -1, 2, 4, 4);
        float[] w = {1.5f, -2f, 1e-40f, -3e-41f};
        String y = g.node("Conv", "y", java.util.List.of(OnnxExporter.INPUT, g.initializer("w1", new long[]{2, 2, 1, 1}, w),
                g.initializer("b1", new long[]{2}, new float[]{0.1f, 0.3f})));
        g.output(y, -1, 2, 4, 4);
        Int8Quantizer.quantize(g, Map.of(OnnxExporter.INPUT, new Int8Quantizer.Range(-1f, 1f)));
        float[] scales = g.constant("w1_scales").floats(), biasScales = g.constant("b1_scales").floats();
        for (float v : scales) assertTrue(v >= Float.MIN_NORMAL, "subnormal weight scale " + v);
        for (float v : biasScales) assertTrue(v >= Float.MIN_NORMAL, "subnormal bias scale " + v);
        assertArrayEquals(new byte[]{47, -63, 0, 0}, g.constant("w1_int8").raw(), "the dead channel's weights are zeros");
        assertEquals(0.3, new ByteBufferInts(g.constant("b1_int32").raw()).get(1) * biasScales[1], 0.005, "its output is its bias");
    }

    private record ByteBufferInts(byte[] raw) {
        int get(int i) { return java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(4 * i); }
    }

    // ---- helpers ----

    private static ModelSpec hourglassSpec() { return ExportFixtures.hourglassSpec(1, 2, 16, 64); }

    /** Random weights and batch-norm statistics, the heatmap head scaled up so the maps are not near zero. */
    private static Block randomNet(ModelSpec spec, long seed) {
        Block net = ExportFixtures.randomNet(m, spec, seed);
        for (Pair<String, Parameter> p : net.getParameters())
            if (p.getKey().startsWith("heatmaps") && p.getKey().endsWith("weight")) p.getValue().getArray().muli(100f);   // undo the near-zero head init
        return net;
    }

    /** The model's first output; with {@code optimised}, ONNX Runtime also writes its optimised graph there. */
    private static float[] run(byte[] onnx, float[] x, int n, int s, Path optimised) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (optimised != null) so.setOptimizedModelFilePath(optimised.toString());
            try (OrtSession session = env.createSession(onnx, so);
                 OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[]{n, 3, s, s});
                 OrtSession.Result r = session.run(Map.of(OnnxExporter.INPUT, t))) {
                FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                float[] out = new float[fb.remaining()];
                fb.get(out);
                return out;
            }
        }
    }

    /** RMS of the difference over RMS of the float values; fails on an all-zero reference. */
    private static double relativeRms(float[] a, float[] b) {
        double err = 0, norm = 0;
        for (int i = 0; i < a.length; i++) {
            err += (a[i] - b[i]) * (a[i] - b[i]);
            norm += a[i] * a[i];
        }
        assertTrue(norm > 0, "the float outputs are all zero: the comparison would be empty");
        return Math.sqrt(err / norm);
    }
}

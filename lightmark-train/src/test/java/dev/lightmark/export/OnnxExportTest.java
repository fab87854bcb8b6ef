package dev.lightmark.export;

import dev.lightmark.infer.OnnxLandmarkRunner;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.train.ModelFile;
import dev.lightmark.model.layers.TorchSetup;
import dev.lightmark.model.pfld.PfldNet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class OnnxExportTest {
    /** Largest allowed |ONNX Runtime - DJL| for the bundled model, in crop units (0..1). */
    static final double TOLERANCE = 1e-4;

    @TempDir Path dir;

    @BeforeAll
    static void engine() { TorchSetup.configure(1); }

    @Test
    void theBundledModelGivesTheSameLandmarksOnOnnxRuntime() throws Exception {
        Path onnx = dir.resolve("pfld.onnx");
        OnnxExporter.export((Path) null, onnx);
        assertTrue(java.nio.file.Files.readString(dir.resolve("pfld.onnx.sha256")).matches("[0-9a-f]{64}  pfld.onnx\n"),
                "export writes the checksum manifest");
        try (LandmarkPredictor djl = dev.lightmark.model.DjlNetwork.loadBundled(1);
             OnnxLandmarkRunner ort = OnnxLandmarkRunner.load(onnx, 1)) {
            assertEquals(112, ort.inputSize());
            assertEquals(136, ort.outputSize());
            Random rnd = new Random(1);
            double max = 0;
            for (int n : new int[]{1, 3, 5}) {
                float[] x = random(rnd, n * 3 * 112 * 112);
                float[] a = djl.forward(x, n), b = ort.forward(x, n);
                assertEquals(a.length, b.length);
                max = Math.max(max, ExportFixtures.maxAbs(a, b));
            }
            System.out.printf("bundled model: max |ONNX Runtime - DJL| = %.3g crop units%n", max);
            assertTrue(max < TOLERANCE, "max difference " + max);
        }
    }

    /** A wide random network with random batch-norm statistics, so every fold is exercised. */
    @Test
    void aRandomWidth1NetworkWithRandomBatchNormsMatches() throws Exception {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            PfldNet net = new PfldNet(68, 1.0f);
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 112, 112));
            Random rnd = new Random(2);
            for (Pair<String, Parameter> p : net.getParameters()) {
                String name = p.getKey();
                NDArray a = p.getValue().getArray();
                int c = (int) a.size();
                if (name.endsWith("_gamma")) a.set(FloatBuffer.wrap(uniform(rnd, c, 0.25f, 0.6f)));
                else if (name.endsWith("_beta")) a.set(FloatBuffer.wrap(uniform(rnd, c, -0.2f, 0.2f)));
                else if (name.endsWith("_runningMean")) a.set(FloatBuffer.wrap(uniform(rnd, c, -0.2f, 0.2f)));
                else if (name.endsWith("_runningVar")) a.set(FloatBuffer.wrap(uniform(rnd, c, 0.3f, 2f)));
            }
            byte[] bytes = OnnxExporter.toOnnx(net, null);
            try (OnnxLandmarkRunner ort = OnnxLandmarkRunner.fromBytes(bytes, "random", 1)) {
                int n = 3;
                float[] x = random(rnd, n * 3 * 112 * 112);
                float[] a;
                try (NDManager step = m.newSubManager()) {
                    a = net.forward(new ParameterStore(step, false), new NDList(step.create(x, new Shape(n, 3, 112, 112))), false)
                            .singletonOrThrow().toFloatArray();
                }
                float[] b = ort.forward(x, n);
                double scale = 0;
                for (float v : a) scale = Math.max(scale, Math.abs(v));
                double max = ExportFixtures.maxAbs(a, b);
                System.out.printf("random width-1.0 net: max |ONNX Runtime - DJL| = %.3g (outputs up to %.3g)%n", max, scale);
                assertTrue(scale > 1e-3, "degenerate test network, outputs up to " + scale);
                // the input must matter, or the comparison would only test the biases
                double spread = ExportFixtures.maxAbs(Arrays.copyOfRange(a, 0, 136), Arrays.copyOfRange(a, 136, 272));
                assertTrue(spread > 100 * Math.max(max, 1e-7), "outputs hardly depend on the input: " + spread);
                assertTrue(max < TOLERANCE * Math.max(1, scale), "max difference " + max + " for outputs up to " + scale);
            }
        }
    }

    @Test
    void theGraphHasTheDocumentedInputOutputAndADynamicBatch() throws Exception {
        byte[] bytes = bundledOnnx();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(bytes, new OrtSession.SessionOptions())) {
            assertEquals(java.util.Set.of(OnnxExporter.INPUT), s.getInputNames());
            assertEquals(java.util.Set.of(OnnxExporter.OUTPUT), s.getOutputNames());
            long[] in = ((TensorInfo) s.getInputInfo().get(OnnxExporter.INPUT).getInfo()).getShape();
            long[] out = ((TensorInfo) s.getOutputInfo().get(OnnxExporter.OUTPUT).getInfo()).getShape();
            assertArrayEquals(new long[]{-1, 3, 112, 112}, in);
            assertArrayEquals(new long[]{-1, 136}, out);
            var meta = s.getMetadata();
            assertEquals("lightmark", meta.getProducerName());
            assertEquals("68", meta.getCustomMetadata().get("lightmark.points"));
            assertEquals("pfld", meta.getCustomMetadata().get("lightmark.architecture"));
        }
    }

    @Test
    void aTruncatedOrCorruptFileIsRejectedWithAClearError() throws Exception {
        byte[] bytes = bundledOnnx();
        int[] cuts = {0, 1, 100, bytes.length / 3, bytes.length / 2, bytes.length - 1};
        for (int cut : cuts) {
            Path f = dir.resolve("cut" + cut + ".onnx");
            Files.write(f, Arrays.copyOf(bytes, cut));
            IOException e = assertThrows(IOException.class, () -> OnnxLandmarkRunner.load(f), "cut at " + cut);
            assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        }
        byte[] junk = new byte[4096];
        new Random(3).nextBytes(junk);
        Path f = dir.resolve("junk.onnx");
        Files.write(f, junk);
        IOException e = assertThrows(IOException.class, () -> OnnxLandmarkRunner.load(f));
        assertTrue(e.getMessage().contains("not a valid ONNX model"), e.getMessage());
        assertThrows(IOException.class, () -> OnnxLandmarkRunner.load(dir.resolve("missing.onnx")));
        // the intact bytes still load after all that
        try (OnnxLandmarkRunner r = OnnxLandmarkRunner.fromBytes(bytes, "intact", 1)) {
            assertEquals(136, r.forward(new float[3 * 112 * 112], 1).length);
            assertThrows(IllegalArgumentException.class, () -> r.forward(new float[10], 1));
        }
    }

    @Test
    void protobufVarintsAndFieldsAreEncodedAsOnTheWire() {
        assertArrayEquals(new byte[]{0x08, (byte) 0xAC, 0x02}, new ProtoWriter().int64(1, 300).toByteArray());
        assertArrayEquals(new byte[]{0x12, 0x02, 'h', 'i'}, new ProtoWriter().string(2, "hi").toByteArray());
        byte[] neg = new ProtoWriter().int64(1, -1).toByteArray();
        assertEquals(11, neg.length);
        assertEquals(0x01, neg[10]);
        assertArrayEquals(new byte[]{0x0A, 0x03, 0x01, (byte) 0x96, 0x01}, new ProtoWriter().packedInt64(1, 1, 150).toByteArray());
        assertArrayEquals(new byte[]{(byte) 0xA0, 0x01, 0x07}, new ProtoWriter().int64(20, 7).toByteArray());
    }

    private static byte[] bundledOnnx() throws IOException {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            ModelFile.Loaded model = OnnxExporter.load(null, m);
            return OnnxExporter.toOnnx(model);
        }
    }

    private static float[] random(Random rnd, int n) { return uniform(rnd, n, -1, 1); }

    private static float[] uniform(Random rnd, int n, float lo, float hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = lo + (hi - lo) * rnd.nextFloat();
        return x;
    }

}

package dev.lightmark.export;

import dev.lightmark.testdata.TorchTest;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.lightmark.geometry.Box;
import dev.lightmark.infer.DecoderMetadata;
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.infer.OnnxLandmarkRunner;
import dev.lightmark.infer.OutputDecoder;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.train.Architectures;
import dev.lightmark.train.ModelFile;

import dev.lightmark.model.cascade.CascadeArchitecture;
import dev.lightmark.model.cascade.CascadeSpec;
import dev.lightmark.model.hourglass.HourglassArchitecture;
import dev.lightmark.model.hourglass.HourglassSpec;
import dev.lightmark.model.tsal.TsalArchitecture;
import dev.lightmark.model.tsal.TsalSpec;
import dev.lightmark.testdata.SyntheticFaces;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * ONNX parity of every exportable architecture: a small random network (random batch-norm
 * statistics, so every fold is exercised) is exported and run on ONNX Runtime, and its points,
 * decoded after the graph by the decoder the file names, must match the DJL network read by its
 * architecture's decoder within 1e-4 of the crop side.
 */
class ArchitectureExportTest extends TorchTest {
    /** Largest allowed |ONNX Runtime - DJL| of a point, in crop units (0..1). */
    static final double TOLERANCE = 1e-4;

    @TempDir Path dir;

    @Test
    void aSmallHourglassWithEveryOptionMatchesAndDecodesItsHeatmapsInJava() throws Exception {
        ModelSpec spec = ExportFixtures.hourglassSpec(2, 2, 16, 64);
        Block net = ExportFixtures.randomNet(m, spec, 11);
        byte[] onnx = OnnxExporter.toOnnx(net, spec);
        try (OrtSession s = OrtEnvironment.getEnvironment().createSession(onnx, new OrtSession.SessionOptions())) {
            assertEquals(List.of("heatmaps"), List.copyOf(s.getOutputNames()));
            Map<String, String> meta = s.getMetadata().getCustomMetadata();
            assertEquals(DecoderMetadata.HEATMAPS, meta.get(DecoderMetadata.DECODER));
            assertEquals("1.5", meta.get(DecoderMetadata.SIGMA));
            assertEquals("OFFSET", meta.get(DecoderMetadata.ENCODING));
        }
        // The raw maps agree, and so do the points decoded from them on each side.
        float[] x = ExportFixtures.faces(3, 64, 12);
        NDArray djlMaps = djlRaw(net, x, 3, 64).get(0);
        float[] ortMaps = ortRaw(onnx, x, 3, 64).get(0);
        double scale = ExportFixtures.maxAbs(djlMaps.toFloatArray(), new float[ortMaps.length]);
        assertTrue(ExportFixtures.maxAbs(djlMaps.toFloatArray(), ortMaps) < 1e-4 * Math.max(1, scale), "raw heatmaps differ");
        assertPointsMatch("hourglass 2x2x16", net, spec, onnx, x, 3);
    }

    @Test
    void hourglassOptionsOffStillMatch() throws Exception {
        ModelSpec spec = ExportFixtures.hourglassSpec(1, 1, 16, 32);
        HourglassSpec h = HourglassArchitecture.settings(spec);
        h.coordConv = h.coordAttention = h.squeezeExcitation = false;
        spec.setSettings(HourglassArchitecture.NAME, h);
        Block net = ExportFixtures.randomNet(m, spec, 13);
        assertPointsMatch("hourglass without options", net, spec, OnnxExporter.toOnnx(net, spec), ExportFixtures.faces(2, 32, 14), 2);
    }

    @Test
    void theTsalNetExportsBothHeadsAndFusesThemWithTheSharedDecoder() throws Exception {
        ModelSpec spec = tsalSpec(0.3f);   // a wide threshold, so that random heads agree on some points and not on others
        TsalSpec t = TsalArchitecture.settings(spec);
        Block net = ExportFixtures.randomNet(m, spec, 21, 0.25f, 0.6f);
        byte[] onnx = OnnxExporter.toOnnx(net, spec);
        try (OrtSession s = OrtEnvironment.getEnvironment().createSession(onnx, new OrtSession.SessionOptions())) {
            assertEquals(List.of("heatmaps", OnnxExporter.OUTPUT), List.copyOf(s.getOutputNames()));
            assertEquals(DecoderMetadata.TWO_HEADS, s.getMetadata().getCustomMetadata().get(DecoderMetadata.DECODER));
            assertEquals("0.3", s.getMetadata().getCustomMetadata().get(DecoderMetadata.AGREEMENT));
        }
        float[] x = ExportFixtures.faces(3, 112, 22);
        // Head B alone, and the fused points (DJL's forward gives fused, head A, head B).
        NDList djl = djlRaw(net, x, 3, 112);
        List<float[]> ort = ortRaw(onnx, x, 3, 112);
        float[] headB = djl.get(2).toFloatArray();
        assertTrue(ExportFixtures.maxAbs(headB, ort.get(1)) < TOLERANCE, "head B differs by " + ExportFixtures.maxAbs(headB, ort.get(1))
                + "; DJL " + java.util.Arrays.toString(java.util.Arrays.copyOf(headB, 6))
                + ", ORT " + java.util.Arrays.toString(java.util.Arrays.copyOf(ort.get(1), 6)));
        boolean[] agree = new boolean[3 * 68];
        dev.lightmark.infer.TwoHeadDecoder.fuse(djl.get(1).toFloatArray(), headB, 3, 68, t.agreement, agree);
        int agreeing = 0;
        for (boolean b : agree) agreeing += b ? 1 : 0;
        System.out.printf("tsal: heads agree on %d of %d points%n", agreeing, agree.length);
        assertTrue(agreeing > 0 && agreeing < agree.length, "the test should see both kinds of point, agreeing: " + agreeing);
        assertPointsMatch("tsal", net, spec, onnx, x, 3);
    }

    @Test
    void theCascadeCutsItsPatchesInTheGraphAndMatches() throws Exception {
        ModelSpec spec = cascadeSpec();
        Block net = ExportFixtures.randomNet(m, spec, 31);
        ((dev.lightmark.model.cascade.CascadeNet) net).setMeanShape(shrunkTemplate());
        byte[] onnx = OnnxExporter.toOnnx(net, spec);
        assertPointsMatch("cascade 3 stages, 2 scales", net, spec, onnx, ExportFixtures.faces(4, 64, 32), 4);

        // Patches at the crop's edges and wholly outside it read zeros there, in the graph as in Java.
        dev.lightmark.model.cascade.CascadeNet c = (dev.lightmark.model.cascade.CascadeNet) net;
        float[] edgy = shrunkTemplate();
        float[] places = {-0.6f, -0.1f, -0.01f, 0.003f, 0.5f, 0.97f, 1.002f, 1.05f, 1.7f};
        for (int i = 0; i < edgy.length; i += 2) {
            edgy[i] = places[(i / 2) % places.length];
            edgy[i + 1] = places[(i / 2 / places.length + i / 2) % places.length];
        }
        c.setMeanShape(edgy);
        for (int t = 0; t < c.stageCount(); t++) c.stage(t).shrinkRegressor(0.01f);
        assertPointsMatch("cascade, points at and beyond the edges", net, spec, OnnxExporter.toOnnx(net, spec), ExportFixtures.faces(4, 64, 33), 4);
    }

    /**
     * The file loads like any model: a predictor on ONNX Runtime (what detect, eval, serve and video
     * use) gives the DJL predictor's points on a photo, for each architecture exported from a .lmk.
     */
    @Test
    void exportedModelsRunThroughTheLandmarkPredictor() throws Exception {
        predictorParity("hourglass", ExportFixtures.hourglassSpec(1, 2, 16, 64), 41);
        predictorParity("tsal", tsalSpec(0.3f), 42);
        predictorParity("cascade", cascadeSpec(), 43);
    }

    private void predictorParity(String label, ModelSpec spec, long seed) throws Exception {
        Block net = ExportFixtures.randomNet(m, spec, seed, 0.25f, 0.6f);
        if (net instanceof dev.lightmark.model.cascade.CascadeNet c) c.setMeanShape(shrunkTemplate());
        Path lmk = dir.resolve(label + ".lmk"), onnx = dir.resolve(label + ".onnx");
        ModelFile.save(lmk, spec, net);
        OnnxExporter.export(lmk, onnx);
        BufferedImage img = photo();
        Box face = new Box(40, 30, 120, 130);
        try (LandmarkPredictor djl = LandmarkPredictor.load(lmk, 1); LandmarkPredictor ort = LandmarkPredictor.load(onnx, 1)) {
            assertEquals("onnxruntime", ort.runtime());
            assertEquals("djl-pytorch", djl.runtime());
            assertEquals(spec.architecture, ort.spec().architecture);
            assertEquals(68, ort.spec().points);
            assertEquals(spec.inputSize, ort.spec().inputSize);
            Landmarks a = djl.predict(img, face), b = ort.predict(img, face);
            double side = 130 * spec.cropScale, max = 0;
            for (int i = 0; i < a.size(); i++) max = Math.max(max, Math.hypot(a.x(i) - b.x(i), a.y(i) - b.y(i)));
            System.out.printf("%s via LandmarkPredictor: max point distance %.3g px of a %.0f px crop%n", label, max, side);
            assertTrue(max <= TOLERANCE * side, label + ": points differ by " + max + " px");
        }
    }

    @Test
    void everyExportIsARegisteredArchitectureAndTheOthersSaySo() {
        for (String name : OnnxExports.names()) assertTrue(Architectures.names().contains(name), name);
        assertEquals(List.of("pfld", "hourglass", "tsal", "cascade"), OnnxExports.names());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExports.get("efficientnet"));
        assertTrue(e.getMessage().contains("exportable: pfld, hourglass, tsal, cascade"), e.getMessage());
    }

    @Test
    void decoderMetadataReadsBackWhatTheExporterWrites() {
        assertSame(OutputDecoder.POINTS, DecoderMetadata.read(Map.of()));
        assertSame(OutputDecoder.POINTS, DecoderMetadata.read(DecoderMetadata.points()));
        assertEquals(2, DecoderMetadata.read(DecoderMetadata.twoHeads(1.5f, dev.lightmark.heatmap.HeatmapEncoding.OFFSET, 0.1f)).outputs());
        assertThrows(IllegalArgumentException.class, () -> DecoderMetadata.read(Map.of(DecoderMetadata.DECODER, "heatmaps")));
        assertThrows(IllegalArgumentException.class, () -> DecoderMetadata.read(Map.of(DecoderMetadata.DECODER, "mystery")));
    }

    // ---- helpers ----

    /** The ONNX file's decoded points against the DJL network's decoded points (its architecture's decoder). */
    private static void assertPointsMatch(String label, Block net, ModelSpec spec, byte[] onnx, float[] x, int n) throws Exception {
        NDList raw = djlRaw(net, x, n, spec.inputSize);
        float[] a = Architectures.get(spec.architecture).decoder(spec)
                .toCropUnits(raw.get(0).toFloatArray(), raw.get(0).getShape().getShape());
        float[] b;
        try (OnnxLandmarkRunner ort = OnnxLandmarkRunner.fromBytes(onnx, label, 1)) {
            assertEquals(2 * spec.points, ort.outputSize());
            assertEquals(spec.inputSize, ort.inputSize());
            b = ort.forward(x, n);
        }
        assertEquals(a.length, b.length);
        double max = ExportFixtures.maxAbs(a, b);
        // the input must matter, or the comparison would only test the biases
        double spread = ExportFixtures.maxAbs(java.util.Arrays.copyOfRange(a, 0, 2 * spec.points),
                java.util.Arrays.copyOfRange(a, 2 * spec.points, 4 * spec.points));
        System.out.printf("%s: max |ONNX Runtime - DJL| = %.3g crop units (faces differ by up to %.3g)%n", label, max, spread);
        assertTrue(spread > 1e-3, "outputs hardly depend on the input: " + spread);
        assertTrue(max <= TOLERANCE, label + ": max difference " + max);
    }

    private static ModelSpec tsalSpec(float agreement) {
        ModelSpec spec = new ModelSpec();
        spec.architecture = TsalArchitecture.NAME;
        spec.inputSize = 112;
        TsalSpec t = new TsalSpec();
        t.agreement = agreement;
        spec.setSettings(TsalArchitecture.NAME, t);
        return spec;
    }

    /** Three stages, two pyramid levels, patches on every other point, 64 px crops. */
    private static ModelSpec cascadeSpec() {
        ModelSpec spec = new ModelSpec();
        spec.architecture = CascadeArchitecture.NAME;
        spec.inputSize = 64;
        CascadeSpec c = new CascadeSpec();
        c.stages = 3;
        c.patchSize = 8;
        c.scales = 2;
        c.patches = "half";
        c.channels = new int[]{8, 8};
        c.embedding = 12;
        c.attentionHidden = 6;
        c.errorHidden = 4;
        spec.setSettings(CascadeArchitecture.NAME, c);
        return spec;
    }

    private static NDList djlRaw(Block net, float[] x, int n, int s) {
        try (NDManager step = m.newSubManager()) {
            NDList out = net.forward(new ParameterStore(step, false), new NDList(step.create(x, new Shape(n, 3, s, s))), false);
            NDList kept = new NDList();
            for (NDArray a : out) {
                NDArray c = a.duplicate();
                c.attach(m);
                kept.add(c);
            }
            return kept;
        }
    }

    private static List<float[]> ortRaw(byte[] onnx, float[] x, int n, int s) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[]{n, 3, s, s});
             OrtSession.Result r = session.run(Map.of(OnnxExporter.INPUT, t))) {
            List<float[]> out = new java.util.ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                FloatBuffer fb = ((OnnxTensor) r.get(i)).getFloatBuffer();
                float[] a = new float[fb.remaining()];
                fb.get(a);
                out.add(a);
            }
            return out;
        }
    }

    private static float[] shrunkTemplate() {
        float[] t = SyntheticFaces.template();
        for (int i = 0; i < t.length; i++) t[i] = 0.1f + 0.8f * t[i];
        return t;
    }

    private static BufferedImage photo() {
        BufferedImage img = new BufferedImage(200, 180, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        Random rnd = new Random(5);
        for (int i = 0; i < 400; i++) {
            g.setColor(new Color(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)));
            g.fillOval(rnd.nextInt(200), rnd.nextInt(180), 4 + rnd.nextInt(20), 4 + rnd.nextInt(20));
        }
        g.dispose();
        return img;
    }

}

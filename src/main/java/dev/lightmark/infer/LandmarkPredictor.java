package dev.lightmark.infer;

import dev.lightmark.augment.CropPolicy;
import dev.lightmark.geometry.Affine;
import dev.lightmark.geometry.Box;
import dev.lightmark.image.Warp;
import dev.lightmark.io.BundledResources;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.model.ModelSpec;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a landmark model on face boxes: crops each box with the model's crop policy, predicts in
 * crop units and maps the points back to the image. A {@code .onnx} file (and the bundled model)
 * runs on ONNX Runtime; a {@code .lmk} file, as written by training, runs on DJL/PyTorch.
 */
public final class LandmarkPredictor implements AutoCloseable {
    /** The model shipped in the jar, exported to ONNX from {@link #BUNDLED_LMK}. */
    public static final String BUNDLED = "/models/pfld/pfld-300w.onnx";
    /** The same model as trained (DJL weights), for fine-tuning and re-export. */
    public static final String BUNDLED_LMK = "/models/pfld/pfld-300w.lmk";

    private final LandmarkNetwork net;
    private final CropPolicy policy;
    private volatile boolean flipTest;

    private LandmarkPredictor(LandmarkNetwork net) {
        this.net = net;
        this.policy = new CropPolicy(net.spec().inputSize, net.spec().cropScale);
    }

    /** Loads a .onnx or .lmk file, or the bundled model when {@code file} is null. */
    public static LandmarkPredictor load(Path file, int threads) throws IOException {
        if (file == null)
            return new LandmarkPredictor(OnnxNetwork.fromBytes(BundledResources.read(BUNDLED), BUNDLED, threads));
        if (!Files.isRegularFile(file)) throw new IOException("model file not found: " + file);
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".onnx"))
            return new LandmarkPredictor(OnnxNetwork.fromBytes(dev.lightmark.io.ModelChecksums.readVerified(file), file.toString(), threads));
        if (name.endsWith(".lmk")) {
            try (InputStream in = Files.newInputStream(file)) {
                return new LandmarkPredictor(DjlNetwork.load(in, file.toString(), threads));
            }
        }
        throw new IOException(file + ": unknown model type (expected .onnx or .lmk)");
    }

    /** The bundled model's trained weights on DJL/PyTorch (the reference the ONNX export is checked against). */
    public static LandmarkPredictor loadBundledLmk(int threads) throws IOException {
        return new LandmarkPredictor(DjlNetwork.load(
                new java.io.ByteArrayInputStream(BundledResources.read(BUNDLED_LMK)), BUNDLED_LMK, threads));
    }

    /**
     * Test-time flip: also predict on the mirrored crop, put its points back in order and
     * average the two. About twice the network time; needs a scheme with mirror pairs.
     */
    public void setFlipTest(boolean on) { this.flipTest = on; }

    public boolean flipTest() { return flipTest; }

    public ModelSpec spec() { return net.spec(); }

    /** The cascade behind this predictor when it is one (stage count, exit threshold, counters). */
    public java.util.Optional<dev.lightmark.model.cascade.CascadeNet> cascade() {
        return net instanceof DjlNetwork d && d.loaded().block() instanceof dev.lightmark.model.cascade.CascadeNet c
                ? java.util.Optional.of(c) : java.util.Optional.empty();
    }
    public CropPolicy cropPolicy() { return policy; }
    public String runtime() { return net.runtime(); }

    public Landmarks predict(BufferedImage img, Box face) {
        return predict(Warp.pixels(img), img.getWidth(), img.getHeight(), List.of(face)).get(0);
    }

    /** One batched forward for all boxes of one image, with the predictor's flip-test setting. */
    public List<Landmarks> predict(int[] px, int width, int height, List<Box> faces) {
        return predict(px, width, height, faces, flipTest);
    }

    /**
     * As above with the flip test chosen for this call only; safe to call from several threads
     * at once (the ONNX session allows concurrent runs, the DJL network serialises them).
     */
    public List<Landmarks> predict(int[] px, int width, int height, List<Box> faces, boolean flip) {
        if (faces.isEmpty()) return List.of();
        int s = policy.inputSize();
        int n = faces.size();
        float[] input = new float[n * 3 * s * s];
        Affine[] maps = new Affine[n];
        for (int i = 0; i < n; i++) {
            maps[i] = policy.toCrop(faces.get(i), 0f);
            float[] chw = Warp.toChw(px, width, height, maps[i], s);
            for (int j = 0; j < chw.length; j++) input[i * chw.length + j] = (chw[j] - 127.5f) / 128f;
        }
        float[] out = forward(input, n);
        int k = out.length / n / 2;
        if (flip) averageWithMirror(input, n, s, k, out);
        List<Landmarks> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] xy = new float[2 * k];
            for (int j = 0; j < 2 * k; j++) xy[j] = out[i * 2 * k + j] * s;
            result.add(new Landmarks(xy).transform(maps[i].inverse()));
        }
        return result;
    }

    private void averageWithMirror(float[] input, int n, int s, int k, float[] out) {
        float[] mirrored = new float[input.length];
        for (int row = 0; row < input.length / s; row++)
            for (int u = 0; u < s; u++) mirrored[row * s + u] = input[row * s + s - 1 - u];
        averageWithMirrored(out, forward(mirrored, n), n, dev.lightmark.landmarks.LandmarkScheme.forSize(k));
    }

    /**
     * Averages n faces' crop-unit points with the points read from their mirrored crops: x goes to
     * 1 - x and each point takes its mirror partner's reading. Also used by TSAL's teacher.
     */
    public static void averageWithMirrored(float[] pts, float[] mirrored, int n, dev.lightmark.landmarks.LandmarkScheme scheme) {
        int k = scheme.size();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < k; j++) {
                int from = i * 2 * k + 2 * scheme.mirrorOf(j), to = i * 2 * k + 2 * j;
                pts[to] = 0.5f * (pts[to] + 1f - mirrored[from]);
                pts[to + 1] = 0.5f * (pts[to + 1] + mirrored[from + 1]);
            }
    }

    /** Raw network call: (n, 3, S, S) normalised input to (n, 2K) crop-unit coordinates. */
    public float[] forward(float[] input, int n) { return net.forward(input, n); }

    /** Mult-adds of one network pass per face (a cascade: all its stages); 0 when unknown (ONNX). */
    public long multAdds() { return net.multAdds(); }

    /** Weights used at inference; 0 when the runtime does not tell (ONNX). */
    public long parameterCount() { return net.parameterCount(); }

    @Override
    public void close() { net.close(); }
}

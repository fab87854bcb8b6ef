package dev.lightmark.infer;


import dev.lightmark.augment.CropPolicy;
import dev.lightmark.geometry.Affine;
import dev.lightmark.geometry.Box;
import dev.lightmark.image.Warp;
import dev.lightmark.io.BundledResources;
import dev.lightmark.landmarks.Landmarks;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Runs a landmark model on face boxes: crops each box with the model's crop policy, predicts in
 * crop units and maps the points back to the image. A {@code .onnx} file (and the bundled model)
 * runs on ONNX Runtime; a {@code .lmk} file, as written by training, runs on DJL/PyTorch.
 */
public final class LandmarkPredictor implements AutoCloseable {
    /** The model shipped in the jar (exported to ONNX from the training module's pfld-300w.lmk). */
    public static final String BUNDLED = "/models/pfld/pfld-300w.onnx";

    private final LandmarkNetwork net;
    private final CropPolicy policy;
    private volatile boolean flipTest;

    /** A predictor over a network of any runtime; it owns the network and closes it. */
    public LandmarkPredictor(LandmarkNetwork net) {
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
            return new LandmarkPredictor(OnnxNetwork.fromBytes(Files.readAllBytes(file), file.toString(), threads));
        for (LandmarkNetworkProvider p : ServiceLoader.load(LandmarkNetworkProvider.class))
            if (p.accepts(name)) {
                try (InputStream in = Files.newInputStream(file)) {
                    return new LandmarkPredictor(p.open(in, file.toString(), threads));
                }
            }
        if (name.endsWith(".lmk"))
            throw new IOException(file + ": a .lmk model (training output) runs on DJL/PyTorch, which needs lightmark-train "
                    + "on the classpath; or export it to ONNX with `lightmark export`");
        throw new IOException(file + ": unknown model type (expected .onnx or .lmk)");
    }

    /**
     * Test-time flip: also predict on the mirrored crop, put its points back in order and
     * average the two. About twice the network time; needs a scheme with mirror pairs.
     */
    public void setFlipTest(boolean on) { this.flipTest = on; }

    public boolean flipTest() { return flipTest; }

    public ModelSpec spec() { return net.spec(); }

    /** The cascade behind this predictor when it is one (stage count, exit threshold, counters). */
    public java.util.Optional<StagedNetwork> cascade() { return net.staged(); }
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
        int n = faces.size(), side = 3 * policy.inputSize() * policy.inputSize();
        float[] input = new float[(flip ? 2 : 1) * n * side];
        Affine[] maps = new Affine[n];
        for (int i = 0; i < n; i++) {
            maps[i] = policy.toCrop(faces.get(i), 0f);
            Warp.toNetworkInput(px, width, height, maps[i], policy.inputSize(), input, i * side, flip ? (n + i) * side : -1);
        }
        return toImage(input, maps, flip);
    }

    /** A face crop and its points, in the crop image's pixels. */
    public record CropResult(Box box, Landmarks points) {}

    /**
     * Many pre-cropped faces in one batched call: each image frames one face as its landmark box
     * (the whole image is the box); points come back in each crop's own pixels.
     */
    public List<CropResult> predictCrops(List<BufferedImage> crops, boolean flip) {
        if (crops.isEmpty()) return List.of();
        int n = crops.size(), side = 3 * policy.inputSize() * policy.inputSize();
        float[] input = new float[(flip ? 2 : 1) * n * side];
        Affine[] maps = new Affine[n];
        Box[] boxes = new Box[n];
        for (int i = 0; i < n; i++) {
            BufferedImage c = crops.get(i);
            boxes[i] = new Box(0, 0, c.getWidth(), c.getHeight());
            maps[i] = policy.toCrop(boxes[i], 0f);
            Warp.toNetworkInput(Warp.pixels(c), c.getWidth(), c.getHeight(), maps[i], policy.inputSize(), input, i * side,
                    flip ? (n + i) * side : -1);
        }
        List<Landmarks> pts = toImage(input, maps, flip);
        List<CropResult> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(new CropResult(boxes[i], pts.get(i)));
        return out;
    }

    /**
     * Runs the network once on prepared crops (with the flip test, the n mirrored crops follow
     * the n faces in the same batch) and maps each face's points back through its crop map.
     */
    private List<Landmarks> toImage(float[] input, Affine[] maps, boolean flip) {
        int s = policy.inputSize(), n = maps.length;
        float[] all = forward(input, flip ? 2 * n : n);
        int k = all.length / (flip ? 2 * n : n) / 2;
        float[] out = flip ? java.util.Arrays.copyOf(all, n * 2 * k) : all;
        if (flip) averageWithMirrored(out, java.util.Arrays.copyOfRange(all, n * 2 * k, 2 * n * 2 * k), n,
                dev.lightmark.landmarks.LandmarkScheme.forSize(k));
        List<Landmarks> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] xy = new float[2 * k];
            for (int j = 0; j < 2 * k; j++) xy[j] = out[i * 2 * k + j] * s;
            result.add(new Landmarks(xy).transform(maps[i].inverse()));
        }
        return result;
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

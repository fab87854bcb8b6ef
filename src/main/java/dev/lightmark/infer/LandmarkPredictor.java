package dev.lightmark.infer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.lightmark.augment.CropPolicy;
import dev.lightmark.geometry.Affine;
import dev.lightmark.geometry.Box;
import dev.lightmark.image.Warp;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.model.ModelFile;
import dev.lightmark.model.ModelSpec;
import dev.lightmark.model.TorchSetup;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a landmark model on face boxes: crops each box with the model's crop policy, predicts in
 * crop units and maps the points back to the image. Calls are serialised (one forward at a time).
 */
public final class LandmarkPredictor implements AutoCloseable {
    /** The model shipped in the jar. */
    public static final String BUNDLED = "/models/pfld/pfld-300w.lmk";

    private final NDManager manager;
    private final ModelFile.Loaded model;
    private final ParameterStore ps;
    private final CropPolicy policy;

    private LandmarkPredictor(NDManager manager, ModelFile.Loaded model) {
        this.manager = manager;
        this.model = model;
        this.ps = new ParameterStore(manager, false);
        this.policy = new CropPolicy(model.spec().inputSize, model.spec().cropScale);
    }

    /** Loads a .lmk file, or the bundled model when {@code file} is null. */
    public static LandmarkPredictor load(Path file, int threads) throws IOException {
        TorchSetup.configure(threads);
        NDManager m = Engine.getEngine("PyTorch").newBaseManager();
        try {
            if (file == null) {
                try (InputStream in = LandmarkPredictor.class.getResourceAsStream(BUNDLED)) {
                    if (in == null) throw new IOException("bundled model " + BUNDLED + " is missing from the build");
                    return new LandmarkPredictor(m, ModelFile.load(in, BUNDLED, m));
                }
            }
            if (!Files.isRegularFile(file)) throw new IOException("model file not found: " + file);
            try (InputStream in = Files.newInputStream(file)) {
                return new LandmarkPredictor(m, ModelFile.load(in, file.toString(), m));
            }
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
    }

    public ModelSpec spec() { return model.spec(); }
    public CropPolicy cropPolicy() { return policy; }

    public Landmarks predict(BufferedImage img, Box face) {
        return predict(Warp.pixels(img), img.getWidth(), img.getHeight(), List.of(face)).get(0);
    }

    /** One batched forward for all boxes of one image. */
    public List<Landmarks> predict(int[] px, int width, int height, List<Box> faces) {
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
        List<Landmarks> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] xy = new float[2 * k];
            for (int j = 0; j < 2 * k; j++) xy[j] = out[i * 2 * k + j] * s;
            result.add(new Landmarks(xy).transform(maps[i].inverse()));
        }
        return result;
    }

    /** Raw network call: (n, 3, S, S) normalised input to (n, 2K) crop-unit coordinates. */
    public synchronized float[] forward(float[] input, int n) {
        int s = policy.inputSize();
        try (NDManager step = manager.newSubManager()) {
            NDList out = model.block().forward(ps, new NDList(step.create(input, new Shape(n, 3, s, s))), false);
            return out.get(0).toFloatArray();
        }
    }

    /** Parameter count of the network. */
    public long parameterCount() {
        long total = 0;
        for (var p : model.block().getParameters()) total += p.getValue().getArray().size();
        return total;
    }

    @Override
    public void close() { manager.close(); }
}

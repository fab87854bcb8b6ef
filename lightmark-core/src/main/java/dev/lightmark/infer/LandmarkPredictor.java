package dev.lightmark.infer;

import dev.lightmark.augment.CropPolicy;
import dev.lightmark.geometry.Affine;
import dev.lightmark.geometry.Box;
import dev.lightmark.image.Warp;
import dev.lightmark.io.BundledResources;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.quality.QualityModel;
import dev.lightmark.quality.QualitySignals;

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
 *
 * <p>{@link #assess} also returns each face's {@link dev.lightmark.quality.FaceQuality} (predicted
 * NME, per-point confidence, head pose) from a {@link QualityModel}: {@code M.quality.json} beside
 * the model file when there is one, else the parameters fitted for the bundled model. Points are
 * moved by the model's {@link PointCalibration} ({@code M.calibration.json} beside the file), the
 * shift that matches them to the annotations' pixel convention.
 */
public final class LandmarkPredictor implements AutoCloseable {
    /** The PFLD-0.25X model in the jar, bundled as {@code fast} (exported to ONNX from the training module's pfld-300w.lmk). */
    public static final String BUNDLED = "/models/pfld/pfld-300w.onnx";

    private final LandmarkNetwork net;
    private final CropPolicy policy;
    private volatile boolean flipTest;
    private volatile boolean flipByDefault = true;
    private volatile QualityModel quality;
    private volatile PointCalibration calibration = PointCalibration.NONE;

    /**
     * A predictor over a network of any runtime; it owns the network and closes it. Its quality
     * model is the bundled model's until {@link #withQuality} or {@link #setQualityModel} says otherwise.
     */
    public LandmarkPredictor(LandmarkNetwork net) {
        this.net = net;
        this.policy = new CropPolicy(net.spec().inputSize, net.spec().cropScale);
        this.quality = QualityModel.bundled();
    }

    /** Uses {@code M.quality.json} beside the model file when there is one, else the bundled parameters. */
    public LandmarkPredictor withQuality(Path modelFile) throws IOException {
        this.quality = QualityModel.forModel(modelFile);
        return this;
    }

    /** Loads a .onnx or .lmk file, a bundled model by name ({@link BundledModels}: default, fast, balanced, accurate, video), or the default model when {@code file} is null. */
    public static LandmarkPredictor load(Path file, int threads) throws IOException {
        if (file == null) return bundled("default", threads);
        if (file.toString().contains(ENSEMBLE_JOIN) && !Files.exists(file)) return ensemble(file.toString(), threads);
        return loadOne(file, threads);
    }

    /** Joins the members of an ensemble in a model argument: {@code a.onnx+b.onnx}, {@code accurate+m.onnx}. */
    public static final String ENSEMBLE_JOIN = "+";

    /** A model argument for reports: its file name, each member's for an ensemble; "bundled" for none. */
    public static String displayName(Path model) {
        if (model == null) return "bundled";
        if (!model.toString().contains(ENSEMBLE_JOIN) || Files.exists(model)) return model.getFileName().toString();
        return java.util.Arrays.stream(model.toString().split(java.util.regex.Pattern.quote(ENSEMBLE_JOIN)))
                .map(m -> Path.of(m).getFileName().toString()).collect(java.util.stream.Collectors.joining(ENSEMBLE_JOIN));
    }

    /**
     * An ensemble ({@code A+B+...}, each a file or a bundled name): the mean of the members' points
     * on the same crop. Its quality model and flip default are the first member's.
     */
    private static LandmarkPredictor ensemble(String spec, int threads) throws IOException {
        List<String> members = List.of(spec.split(java.util.regex.Pattern.quote(ENSEMBLE_JOIN), -1));
        for (String m : members)
            if (m.isBlank()) throw new IOException("empty member in the ensemble '" + spec + "'");
        List<LandmarkPredictor> parts = openAll(members, m -> loadOne(Path.of(m), threads));
        LandmarkPredictor first = parts.get(0);
        // The ensemble takes over the members' networks; the member predictors are dropped unclosed.
        return new LandmarkPredictor(joined(parts.stream().map(p -> p.net).toList()))
                .withQualityModel(first.quality).withFlipByDefault(first.flipByDefault)
                .withCalibration(PointCalibration.mean(parts.stream().map(p -> p.calibration).toList()));
    }

    /** Opens a part, for {@link #openAll}. */
    @FunctionalInterface
    private interface Opener<T> {
        T open(String member) throws IOException;
    }

    /** Opens every member in order; when one fails, closes those already open and rethrows. */
    private static <T extends AutoCloseable> List<T> openAll(List<String> members, Opener<T> opener) throws IOException {
        List<T> open = new ArrayList<>();
        try {
            for (String m : members) open.add(opener.open(m));
            return open;
        } catch (IOException | RuntimeException e) {
            closeAll(open, e);
            throw e;
        }
    }

    /** One network as it is, several as their {@link EnsembleNetwork} (closing them if they cannot be joined). */
    private static LandmarkNetwork joined(List<LandmarkNetwork> nets) {
        if (nets.size() == 1) return nets.get(0);
        try {
            return new EnsembleNetwork(nets);
        } catch (RuntimeException e) {
            closeAll(nets, e);
            throw e;
        }
    }

    private static void closeAll(List<? extends AutoCloseable> open, Exception cause) {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception suppressed) {
                cause.addSuppressed(suppressed);
            }
        }
    }

    private static LandmarkPredictor loadOne(Path file, int threads) throws IOException {
        var bundled = BundledModels.named(file);
        if (bundled.isPresent()) return bundled(bundled.get().name(), threads);
        if (!Files.isRegularFile(file))
            throw new IOException("model file not found: " + file + " (bundled models: " + String.join(", ", BundledModels.all().keySet()) + ")");
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        // The files beside the model are read first: a bad one then leaves no network open.
        QualityModel quality = QualityModel.forModel(file);
        PointCalibration calibration = PointCalibration.forModel(file);
        if (name.endsWith(".onnx"))
            return new LandmarkPredictor(OnnxNetwork.fromBytes(dev.lightmark.io.ModelChecksums.readVerified(file), file.toString(), threads))
                    .withQualityModel(quality).withCalibration(calibration).withFlipByDefault(true);
        for (LandmarkNetworkProvider p : ServiceLoader.load(LandmarkNetworkProvider.class))
            if (p.accepts(name)) {
                try (InputStream in = Files.newInputStream(file)) {
                    return new LandmarkPredictor(p.open(in, file.toString(), threads))
                            .withQualityModel(quality).withCalibration(calibration).withFlipByDefault(true);
                }
            }
        if (name.endsWith(".lmk"))
            throw new IOException(file + ": a .lmk model (training output) runs on DJL/PyTorch, which needs lightmark-train "
                    + "on the classpath; or export it to ONNX with `lightmark export`");
        throw new IOException(file + ": unknown model type (expected .onnx or .lmk)");
    }

    /** The model of predicted NME and point confidence that {@link #assess} uses. */
    public QualityModel qualityModel() { return quality; }

    public void setQualityModel(QualityModel m) { this.quality = java.util.Objects.requireNonNull(m, "quality model"); }

    private LandmarkPredictor withQualityModel(QualityModel m) {
        setQualityModel(m);
        return this;
    }

    /**
     * The shift added to every point ({@code NAME.calibration.json} beside a model file, the
     * bundled one for a bundled model, the members' mean for an ensemble; {@link PointCalibration#NONE}
     * for none).
     */
    public PointCalibration calibration() { return calibration; }

    public void setCalibration(PointCalibration c) { this.calibration = java.util.Objects.requireNonNull(c, "calibration"); }

    private LandmarkPredictor withCalibration(PointCalibration c) {
        setCalibration(c);
        return this;
    }

    /**
     * Test-time flip: also predict on the mirrored crop, put its points back in order and
     * average the two. About twice the network time; needs a scheme with mirror pairs.
     */
    public void setFlipTest(boolean on) { this.flipTest = on; }

    /**
     * Whether this model's flip test is on unless a caller says otherwise: on for model files,
     * and for each bundled model as {@link BundledModels} says (off where it does not pay).
     */
    public boolean flipByDefault() { return flipByDefault; }

    /** Sets {@link #flipByDefault()} and the flip test to {@code on}. */
    public LandmarkPredictor withFlipByDefault(boolean on) {
        this.flipByDefault = on;
        this.flipTest = on;
        return this;
    }

    /** The bundled model {@code name} (default, fast, balanced, accurate, video) from the jar, whatever files lie in the working directory. */
    public static LandmarkPredictor bundled(String name, int threads) throws IOException {
        BundledModels.Entry e = entry(name);
        List<LandmarkNetwork> nets = openAll(e.resources(), r -> OnnxNetwork.fromBytes(BundledResources.read(r), e.name(), threads));
        return fromEntry(e, nets);
    }

    /**
     * The bundled model {@code name} on networks borrowed from {@code shared}: models that share a
     * file share its session. Closing the predictor leaves the networks to {@code shared}.
     */
    public static LandmarkPredictor bundled(String name, BundledNetworks shared) throws IOException {
        BundledModels.Entry e = entry(name);
        List<LandmarkNetwork> nets = new ArrayList<>();
        for (String r : e.resources()) nets.add(shared.borrow(r, e.name()));
        return fromEntry(e, nets);
    }

    private static BundledModels.Entry entry(String name) {
        BundledModels.Entry e = BundledModels.all().get(name);
        if (e == null) throw new IllegalArgumentException("no bundled model '" + name + "' (bundled: " + String.join(", ", BundledModels.all().keySet()) + ")");
        return e;
    }

    private static LandmarkPredictor fromEntry(BundledModels.Entry e, List<LandmarkNetwork> nets) {
        LandmarkNetwork net = joined(nets);
        try {
            return new LandmarkPredictor(net).withQualityModel(QualityModel.resource(e.qualityResource()))
                    .withCalibration(PointCalibration.mean(e.resources().stream().map(PointCalibration::forResource).toList()))
                    .withFlipByDefault(e.flip());
        } catch (RuntimeException ex) {
            net.close();
            throw ex;
        }
    }

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
        return run(px, width, height, faces, flip, false).stream().map(FacePrediction::points).toList();
    }

    /** One face's points and their quality, with the predictor's flip-test setting. */
    public FacePrediction assess(BufferedImage img, Box face) {
        return assess(Warp.pixels(img), img.getWidth(), img.getHeight(), List.of(face), flipTest).get(0);
    }

    /**
     * As {@link #predict(int[], int, int, List, boolean)} with each face's quality: predicted NME,
     * per-point confidence and head pose. With the flip test the estimate also uses how far the
     * face's and its mirror's readings disagree; without it, only the shape, size and position.
     * A box partly or wholly outside the image, or of zero or tiny size, gives points and a low
     * quality, not an exception (a box with a non-finite coordinate is refused).
     */
    public List<FacePrediction> assess(int[] px, int width, int height, List<Box> faces, boolean flip) {
        return run(px, width, height, faces, flip, true);
    }

    private List<FacePrediction> run(int[] px, int width, int height, List<Box> faces, boolean flip, boolean withQuality) {
        if (faces.isEmpty()) return List.of();
        int n = faces.size(), side = 3 * policy.inputSize() * policy.inputSize();
        float[] input = new float[(flip ? 2 : 1) * n * side];
        Affine[] maps = new Affine[n];
        Box[] squares = new Box[n];
        for (int i = 0; i < n; i++) {
            Box face = usable(faces.get(i));
            maps[i] = policy.toCrop(face, 0f);
            squares[i] = policy.square(face);
            Warp.toNetworkInput(px, width, height, maps[i], policy.inputSize(), input, i * side, flip ? (n + i) * side : -1);
        }
        int[] widths = new int[n], heights = new int[n];
        java.util.Arrays.fill(widths, width);
        java.util.Arrays.fill(heights, height);
        return readings(input, maps, squares, widths, heights, flip, withQuality);
    }

    /** A face crop, its points in the crop image's pixels, and their quality. */
    public record CropResult(Box box, Landmarks points, dev.lightmark.quality.FaceQuality quality) {}

    /**
     * Many pre-cropped faces in one batched call: each image frames one face as its landmark box
     * (the whole image is the box); points come back in each crop's own pixels.
     */
    public List<CropResult> predictCrops(List<BufferedImage> crops, boolean flip) {
        if (crops.isEmpty()) return List.of();
        int n = crops.size(), side = 3 * policy.inputSize() * policy.inputSize();
        float[] input = new float[(flip ? 2 : 1) * n * side];
        Affine[] maps = new Affine[n];
        Box[] boxes = new Box[n], squares = new Box[n];
        int[] widths = new int[n], heights = new int[n];
        for (int i = 0; i < n; i++) {
            BufferedImage c = crops.get(i);
            boxes[i] = new Box(0, 0, c.getWidth(), c.getHeight());
            maps[i] = policy.toCrop(boxes[i], 0f);
            squares[i] = policy.square(boxes[i]);
            widths[i] = c.getWidth();
            heights[i] = c.getHeight();
            Warp.toNetworkInput(Warp.pixels(c), c.getWidth(), c.getHeight(), maps[i], policy.inputSize(), input, i * side,
                    flip ? (n + i) * side : -1);
        }
        List<FacePrediction> pts = readings(input, maps, squares, widths, heights, flip, true);
        List<CropResult> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(new CropResult(boxes[i], pts.get(i).points(), pts.get(i).quality()));
        return out;
    }

    /**
     * Runs the network once on prepared crops (with the flip test, the n mirrored crops follow the
     * n faces in the same batch), maps each face's points back through its crop map and, when
     * asked, estimates its quality from the two readings.
     */
    private List<FacePrediction> readings(float[] input, Affine[] maps, Box[] squares, int[] widths, int[] heights,
                                          boolean flip, boolean withQuality) {
        int s = policy.inputSize(), n = maps.length;
        float[] all = forward(input, flip ? 2 * n : n);
        int k = all.length / (flip ? 2 * n : n) / 2;
        float[] out = flip ? java.util.Arrays.copyOf(all, n * 2 * k) : all;
        float[] direct = null, mirrored = null;
        if (flip) {
            mirrored = java.util.Arrays.copyOfRange(all, n * 2 * k, 2 * n * 2 * k);
            if (withQuality) direct = out.clone();
            averageWithMirrored(out, mirrored, n, dev.lightmark.landmarks.LandmarkScheme.forSize(k));
        }
        List<FacePrediction> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] crop = java.util.Arrays.copyOfRange(out, i * 2 * k, (i + 1) * 2 * k);
            float[] xy = new float[2 * k];
            for (int j = 0; j < 2 * k; j++) xy[j] = crop[j] * s;
            Landmarks points = calibration.apply(new Landmarks(xy).transform(maps[i].inverse()), flip);
            dev.lightmark.quality.FaceQuality q = null;
            QualitySignals sig = null;
            if (withQuality) {
                float[] d = null, m = null;
                if (flip) {
                    d = java.util.Arrays.copyOfRange(direct, i * 2 * k, (i + 1) * 2 * k);
                    m = mirroredBack(mirrored, i, dev.lightmark.landmarks.LandmarkScheme.forSize(k));
                }
                sig = QualitySignals.of(crop, d, m, squares[i], widths[i], heights[i]);
                q = quality.estimate(sig, points, widths[i], heights[i]);
            }
            result.add(new FacePrediction(points, q, sig));
        }
        return result;
    }

    /**
     * A box the crop can be made from: one under a pixel wide or high (zero, negative) grows to one
     * pixel about its centre; a non-finite coordinate is refused.
     */
    static Box usable(Box b) {
        if (!Float.isFinite(b.x()) || !Float.isFinite(b.y()) || !Float.isFinite(b.w()) || !Float.isFinite(b.h()))
            throw new IllegalArgumentException("face box has a non-finite coordinate: " + b);
        if (b.w() >= 1 && b.h() >= 1) return b;
        float w = Math.max(1, b.w()), h = Math.max(1, b.h());
        return new Box(b.cx() - w / 2, b.cy() - h / 2, w, h);
    }

    /** Face i's mirrored reading put back in the face's frame and point order. */
    private static float[] mirroredBack(float[] mirrored, int i, dev.lightmark.landmarks.LandmarkScheme scheme) {
        int k = scheme.size();
        float[] back = new float[2 * k];
        for (int j = 0; j < k; j++) {
            int from = i * 2 * k + 2 * scheme.mirrorOf(j);
            back[2 * j] = 1f - mirrored[from];
            back[2 * j + 1] = mirrored[from + 1];
        }
        return back;
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

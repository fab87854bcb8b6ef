package dev.lightmark.detect;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lightmark.geometry.Box;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a BlazeFace detection to the tight box of the 68 iBUG landmarks.
 *
 * <p>BlazeFace's box is its own convention (forehead to chin, narrower than the jaw line). This
 * predicts four numbers with a linear model and builds the box from them:
 * <pre>
 *   cx = det.cx + t0 * det.w      cy = det.cy + t1 * det.h
 *   w  = det.w * exp(t2)          h  = det.h * exp(t3)
 * </pre>
 * With {@link Features#BOX}, each {@code t} is a constant (the least-squares mean offset and log
 * scale). With {@link Features#KEYPOINTS}, each {@code t} is a ridge-regularised linear function of
 * the six key points expressed relative to the detection box, plus head roll and yaw cues derived
 * from them. Parameters live in JSON; {@link #loadDefault()} reads the bundled
 * {@value #DEFAULT_RESOURCE} (for FRONT_128 boxes), fitted on 300-W train by {@link FitBoxMapping};
 * {@link #loadDefault(BlazeFaceModel)} picks the file fitted for a given model. Immutable and
 * thread-safe.
 */
public final class LandmarkBoxMapper {
    public static final String DEFAULT_RESOURCE = "/models/blazeface/box-mapping.json";
    public static final String BACK_256_RESOURCE = "/models/blazeface/box-mapping-back256.json";
    static final String FORMAT = "lightmark-box-mapping/1";
    static final String[] TARGETS = {"(gt.cx-det.cx)/det.w", "(gt.cy-det.cy)/det.h", "ln(gt.w/det.w)", "ln(gt.h/det.h)"};

    /** Which inputs the linear model uses. */
    public enum Features {
        /** The box alone: constant offsets and scales. */
        BOX(List.of()),
        /** Key points relative to the box, plus roll and yaw cues. */
        KEYPOINTS(List.of("rEye.u", "rEye.v", "lEye.u", "lEye.v", "nose.u", "nose.v", "mouth.u", "mouth.v",
                "rEar.u", "rEar.v", "lEar.u", "lEar.v", "sinRoll", "absSinRoll", "yaw", "absYaw"));

        final List<String> names;

        Features(List<String> names) { this.names = names; }

        public List<String> names() { return names; }

        /** The feature vector of a detection (without the bias term). */
        double[] of(FaceDetection d) {
            if (this == BOX) return new double[0];
            Box b = d.box();
            double[] f = new double[names.size()];
            double cx = b.cx(), cy = b.cy(), w = Math.max(b.w(), 1e-6f), h = Math.max(b.h(), 1e-6f);
            for (int k = 0; k < FaceDetection.KEYPOINT_COUNT; k++) {
                f[2 * k] = (d.keypointX(k) - cx) / w;
                f[2 * k + 1] = (d.keypointY(k) - cy) / h;
            }
            double ex = d.keypointX(FaceDetection.LEFT_EYE) - d.keypointX(FaceDetection.RIGHT_EYE);
            double ey = d.keypointY(FaceDetection.LEFT_EYE) - d.keypointY(FaceDetection.RIGHT_EYE);
            double eyeDist = Math.max(Math.hypot(ex, ey), 1e-6);
            double sinRoll = ey / eyeDist;
            // Nose offset from the eye midpoint along the eye line, in eye distances: a yaw cue.
            double mx = (d.keypointX(FaceDetection.LEFT_EYE) + d.keypointX(FaceDetection.RIGHT_EYE)) / 2;
            double my = (d.keypointY(FaceDetection.LEFT_EYE) + d.keypointY(FaceDetection.RIGHT_EYE)) / 2;
            double yaw = ((d.keypointX(FaceDetection.NOSE_TIP) - mx) * ex + (d.keypointY(FaceDetection.NOSE_TIP) - my) * ey)
                    / (eyeDist * eyeDist);
            f[12] = sinRoll;
            f[13] = Math.abs(sinRoll);
            f[14] = yaw;
            f[15] = Math.abs(yaw);
            return f;
        }
    }

    private final Features features;
    private final double[] mean, scale;   // feature standardisation
    private final double[][] coef;        // [4][1 + nFeatures], bias first
    private final Map<String, Object> provenance;

    private LandmarkBoxMapper(Features features, double[] mean, double[] scale, double[][] coef,
                              Map<String, Object> provenance) {
        int n = features.names.size();
        if (mean.length != n || scale.length != n || coef.length != 4)
            throw new IllegalArgumentException("parameter sizes do not match feature set " + features);
        for (double[] c : coef)
            if (c.length != n + 1) throw new IllegalArgumentException("coefficient row has " + c.length + " values, expected " + (n + 1));
        for (double s : scale) if (!(s > 0)) throw new IllegalArgumentException("non-positive feature scale");
        this.features = features;
        this.mean = mean.clone();
        this.scale = scale.clone();
        this.coef = new double[4][];
        for (int t = 0; t < 4; t++) this.coef[t] = coef[t].clone();
        this.provenance = provenance == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    /** The mapping that returns the detection box unchanged. */
    public static LandmarkBoxMapper identity() {
        return new LandmarkBoxMapper(Features.BOX, new double[0], new double[0], new double[4][1], Map.of("note", "identity"));
    }

    public Features features() { return features; }

    /** Where the parameters came from (data set, counts, command), as stored in the JSON. */
    public Map<String, Object> provenance() { return provenance; }

    /** The predicted tight 68-landmark box, in the same pixels as the detection. */
    public Box toLandmarkBox(FaceDetection d) {
        double[] t = predict(d);
        Box b = d.box();
        double cx = b.cx() + t[0] * b.w(), cy = b.cy() + t[1] * b.h();
        double w = b.w() * Math.exp(t[2]), h = b.h() * Math.exp(t[3]);
        return new Box((float) (cx - w / 2), (float) (cy - h / 2), (float) w, (float) h);
    }

    double[] predict(FaceDetection d) {
        double[] f = features.of(d);
        double[] t = new double[4];
        for (int k = 0; k < 4; k++) {
            double v = coef[k][0];
            for (int j = 0; j < f.length; j++) v += coef[k][j + 1] * (f[j] - mean[j]) / scale[j];
            t[k] = v;
        }
        return t;
    }

    /** The regression targets for one (detection, ground-truth box) pair. */
    static double[] targets(FaceDetection d, Box gt) {
        Box b = d.box();
        return new double[]{(gt.cx() - b.cx()) / b.w(), (gt.cy() - b.cy()) / b.h(),
                Math.log(gt.w() / b.w()), Math.log(gt.h() / b.h())};
    }

    /**
     * Least-squares fit. {@code ridge} is the L2 penalty per sample on the standardised feature
     * weights (the bias is not penalised); 0 gives ordinary least squares.
     */
    public static LandmarkBoxMapper fit(List<FaceDetection> dets, List<Box> truth, Features features, double ridge,
                                        Map<String, Object> provenance) {
        if (dets.size() != truth.size()) throw new IllegalArgumentException("detections and boxes differ in number");
        int n = dets.size(), p = features.names.size();
        if (n < p + 2) throw new IllegalArgumentException("too few samples (" + n + ") for " + (p + 1) + " parameters");
        double[][] x = new double[n][];
        double[][] y = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = features.of(dets.get(i));
            y[i] = targets(dets.get(i), truth.get(i));
        }
        double[] mean = new double[p], scale = new double[p];
        for (int j = 0; j < p; j++) {
            double s = 0, ss = 0;
            for (double[] r : x) { s += r[j]; ss += r[j] * r[j]; }
            mean[j] = s / n;
            double var = ss / n - mean[j] * mean[j];
            scale[j] = var > 1e-12 ? Math.sqrt(var) : 1;
        }
        // Normal equations on [1, standardised features].
        int q = p + 1;
        double[][] a = new double[q][q];
        double[][] rhs = new double[4][q];
        double[] z = new double[q];
        for (int i = 0; i < n; i++) {
            z[0] = 1;
            for (int j = 0; j < p; j++) z[j + 1] = (x[i][j] - mean[j]) / scale[j];
            for (int r = 0; r < q; r++) {
                for (int c = 0; c < q; c++) a[r][c] += z[r] * z[c];
                for (int t = 0; t < 4; t++) rhs[t][r] += z[r] * y[i][t];
            }
        }
        for (int j = 1; j < q; j++) a[j][j] += ridge * n;
        double[][] coef = new double[4][];
        for (int t = 0; t < 4; t++) coef[t] = solve(a, rhs[t]);
        return new LandmarkBoxMapper(features, mean, scale, coef, provenance);
    }

    /** Gaussian elimination with partial pivoting; copies its inputs. */
    static double[] solve(double[][] a0, double[] b0) {
        int n = b0.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) a[i] = a0[i].clone();
        double[] b = b0.clone();
        for (int col = 0; col < n; col++) {
            int piv = col;
            for (int r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) piv = r;
            if (Math.abs(a[piv][col]) < 1e-12) throw new IllegalArgumentException("singular system (collinear features?)");
            double[] tr = a[col]; a[col] = a[piv]; a[piv] = tr;
            double tb = b[col]; b[col] = b[piv]; b[piv] = tb;
            for (int r = col + 1; r < n; r++) {
                double f = a[r][col] / a[col][col];
                if (f == 0) continue;
                for (int c = col; c < n; c++) a[r][c] -= f * a[col][c];
                b[r] -= f * b[col];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = b[r];
            for (int c = r + 1; c < n; c++) s -= a[r][c] * x[c];
            x[r] = s / a[r][r];
        }
        return x;
    }

    // ---- JSON ----

    /** On-disk form. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Json(String format, String features, List<String> featureNames, List<String> targets,
                double[] featureMean, double[] featureScale, double[][] coefficients, Map<String, Object> provenance) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The bundled parameters for {@link BlazeFaceModel#FRONT_128} ({@value #DEFAULT_RESOURCE}). */
    public static LandmarkBoxMapper loadDefault() { return loadDefault(BlazeFaceModel.FRONT_128); }

    /**
     * The bundled parameters fitted for boxes from {@code model}: {@value #DEFAULT_RESOURCE} for
     * FRONT_128, {@value #BACK_256_RESOURCE} for BACK_256 (each model's boxes have their own bias).
     */
    public static LandmarkBoxMapper loadDefault(BlazeFaceModel model) {
        String res = model == BlazeFaceModel.BACK_256 ? BACK_256_RESOURCE : DEFAULT_RESOURCE;
        try {
            return load(new java.io.ByteArrayInputStream(dev.lightmark.io.BundledResources.read(res)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + res, e);
        }
    }

    public static LandmarkBoxMapper load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static LandmarkBoxMapper load(InputStream in) throws IOException {
        Json j = JSON.readValue(in, Json.class);
        if (!FORMAT.equals(j.format())) throw new IOException("not a " + FORMAT + " file: format=" + j.format());
        Features f;
        try {
            f = Features.valueOf(j.features());
        } catch (RuntimeException e) {
            throw new IOException("unknown feature set " + j.features());
        }
        if (j.featureNames() != null && !j.featureNames().equals(f.names))
            throw new IOException("feature names " + j.featureNames() + " do not match " + f + " " + f.names);
        try {
            return new LandmarkBoxMapper(f, j.featureMean(), j.featureScale(), j.coefficients(), j.provenance());
        } catch (RuntimeException e) {
            throw new IOException("bad box mapping: " + e.getMessage(), e);
        }
    }

    public void save(Path file) {
        Json j = new Json(FORMAT, features.name(), features.names, List.of(TARGETS), mean, scale, coef,
                new LinkedHashMap<>(provenance));
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            JSON.writeValue(file.toFile(), j);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    @Override public String toString() {
        return "LandmarkBoxMapper[" + features + ", bias=" + Arrays.toString(Arrays.stream(coef).mapToDouble(c -> c[0]).toArray()) + "]";
    }
}

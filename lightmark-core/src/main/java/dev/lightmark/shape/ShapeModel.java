package dev.lightmark.shape;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

import static dev.lightmark.shape.ProcrustesAlignment.apply;
import static dev.lightmark.shape.ProcrustesAlignment.toDouble;

/**
 * Point distribution model (the shape part of an active shape model): x = mean + sum_i b_i P_i in
 * a normalised frame, where P_i are the leading eigenvectors of the covariance of Procrustes-aligned
 * shapes. Shapes are aligned to the mean and projected into its tangent space (scaled so that
 * (x - mean) is orthogonal to the mean), so re-projecting a reconstructed shape gives back the same
 * weights: {@link #soften} is idempotent. Immutable.
 */
public final class ShapeModel {
    /** Largest |b_i| in standard deviations when clamping is on. */
    public static final double CLAMP_SIGMAS = 3;
    private static final String FORMAT = "lightmark-asm-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the model came from: data folder (or any label), number of shapes, requested share (null: fixed count). */
    public record Provenance(String data, int shapes, Double varianceRequested) {}

    /** Soft-landmark error over a set of shapes, normalised by each shape's inter-ocular distance. */
    public record SoftError(int shapes, double meanNme, double maxNme, double maxPointNme) {}

    private final double[] mean;
    private final double[][] modes;
    private final double[] eigenvalues;
    private final double totalVariance;
    private final boolean clamp;
    private final Provenance provenance;

    private ShapeModel(double[] mean, double[][] modes, double[] eigenvalues, double totalVariance,
                       boolean clamp, Provenance provenance) {
        this.mean = mean;
        this.modes = modes;
        this.eigenvalues = eigenvalues;
        this.totalVariance = totalVariance;
        this.clamp = clamp;
        this.provenance = provenance;
    }

    /** Fits and keeps the fewest modes that explain at least {@code varianceShare} (0, 1] of the variance. */
    public static ShapeModel fit(List<Landmarks> shapes, double varianceShare, String data) {
        if (!(varianceShare > 0 && varianceShare <= 1))
            throw new IllegalArgumentException("variance share must be in (0, 1], got " + varianceShare);
        return fit(shapes, varianceShare, -1, data);
    }

    /** Fits and keeps exactly {@code modes} modes (at most 2 x points; that many reproduce any shape). */
    public static ShapeModel fitModes(List<Landmarks> shapes, int modes, String data) {
        if (modes < 1) throw new IllegalArgumentException("need at least one mode, got " + modes);
        return fit(shapes, Double.NaN, modes, data);
    }

    private static ShapeModel fit(List<Landmarks> shapes, double share, int count, String data) {
        ProcrustesAlignment.Result gpa = ProcrustesAlignment.align(shapes);
        double[] mean = toDouble(gpa.mean());
        int n = mean.length;
        if (count > n) throw new IllegalArgumentException(count + " modes asked but shapes have only " + n + " coordinates");
        double[][] cov = new double[n][n];
        double[] d = new double[n];
        for (Landmarks s : gpa.aligned()) {
            double[] x = toDouble(s.toArray());
            double f = dot(mean, mean) / dot(x, mean);
            for (int i = 0; i < n; i++) d[i] = x[i] * f - mean[i];
            for (int i = 0; i < n; i++) for (int j = i; j < n; j++) cov[i][j] += d[i] * d[j];
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) cov[j][i] = cov[i][j] /= shapes.size();
            total += cov[i][i];
        }
        SymmetricEigen eig = new SymmetricEigen(cov);
        int keep = count;
        if (keep < 0) {
            keep = 0;
            for (double cum = 0; keep < n && cum < share * total; keep++) cum += eig.values[keep];
            keep = Math.max(keep, 1);
        }
        double[][] modes = new double[keep][];
        double[] values = new double[keep];
        for (int i = 0; i < keep; i++) { modes[i] = eig.vectors[i]; values[i] = Math.max(0, eig.values[i]); }
        return new ShapeModel(mean, modes, values, total, false,
                new Provenance(data, shapes.size(), Double.isNaN(share) ? null : share));
    }

    /** The same model with clamping of |b_i| to {@value #CLAMP_SIGMAS} sqrt(lambda_i) on or off. */
    public ShapeModel withClamp(boolean on) {
        return new ShapeModel(mean, modes, eigenvalues, totalVariance, on, provenance);
    }

    public boolean clamp() { return clamp; }
    public int modes() { return modes.length; }
    public int points() { return mean.length / 2; }
    public Provenance provenance() { return provenance; }
    /** Mean shape in the model frame (centroid 0, unit RMS size). */
    public float[] mean() { return ProcrustesAlignment.toFloat(mean); }
    /** Variances lambda_i of the kept modes, largest first (model-frame units). */
    public double[] eigenvalues() { return eigenvalues.clone(); }
    /** Unit eigenvector of mode {@code i} (2 x points values). */
    public double[] mode(int i) { return modes[i].clone(); }
    /** Share of the total shape variance that the kept modes explain. */
    public double varianceExplained() {
        double s = 0;
        for (double v : eigenvalues) s += v;
        return totalVariance > 0 ? Math.min(1, s / totalVariance) : 1;
    }

    /** The similarity from the shape's own coordinates into the model frame (alignment plus tangent scaling). */
    public Similarity frameOf(Landmarks shape) {
        double[] p = tangentFrame(toDouble(shape.toArray()));
        return Similarity.fromParameters(p[0], p[1], p[2], p[3]);
    }

    /** Mode weights b of {@code shape} after aligning it to the mean (clamped when {@link #clamp()} is on). */
    public float[] project(Landmarks shape) {
        double[] x = toDouble(shape.toArray());
        double[] y = apply(tangentFrame(x), x);
        float[] b = new float[modes.length];
        for (int i = 0; i < modes.length; i++) {
            double w = 0;
            for (int k = 0; k < y.length; k++) w += modes[i][k] * (y[k] - mean[k]);
            if (clamp) {
                double lim = CLAMP_SIGMAS * Math.sqrt(eigenvalues[i]);
                w = Math.max(-lim, Math.min(lim, w));
            }
            b[i] = (float) w;
        }
        return b;
    }

    /** mean + sum_i b_i P_i, mapped out of the model frame by {@code frame.inverse()}. */
    public Landmarks reconstruct(float[] b, Similarity frame) {
        if (b.length != modes.length) throw new IllegalArgumentException(b.length + " weights for " + modes.length + " modes");
        double[] x = mean.clone();
        for (int i = 0; i < b.length; i++) for (int k = 0; k < x.length; k++) x[k] += b[i] * modes[i][k];
        return new Landmarks(ProcrustesAlignment.toFloat(x)).transform(frame.inverse());
    }

    /** The "soft landmarks": {@code shape} projected onto the kept modes, in its own image coordinates. */
    public Landmarks soften(Landmarks shape) {
        return reconstruct(project(shape), frameOf(shape));
    }

    /**
     * How far the model is from reproducing {@code shape}: the mean point distance between the
     * shape and its soft version, over its inter-ocular distance. Pseudo-label filters use it.
     */
    public double residual(Landmarks shape, LandmarkScheme scheme) {
        Landmarks soft = soften(shape);
        double sum = 0;
        for (int i = 0; i < shape.size(); i++) sum += Math.hypot(shape.x(i) - soft.x(i), shape.y(i) - soft.y(i));
        return sum / shape.size() / Math.max(1e-6, shape.interOcular(scheme));
    }

    /** Mean and worst NME (inter-ocular) between each shape and its soft version, and the worst single point. */
    public SoftError softenError(List<Landmarks> shapes, LandmarkScheme scheme) {
        double sum = 0, max = 0, maxPoint = 0;
        for (Landmarks gt : shapes) {
            Landmarks soft = soften(gt);
            double iod = gt.interOcular(scheme), err = 0;
            for (int i = 0; i < gt.size(); i++) {
                double e = Math.hypot(soft.x(i) - gt.x(i), soft.y(i) - gt.y(i)) / iod;
                err += e;
                maxPoint = Math.max(maxPoint, e);
            }
            err /= gt.size();
            sum += err;
            max = Math.max(max, err);
        }
        return new SoftError(shapes.size(), sum / shapes.size(), max, maxPoint);
    }

    /** Similarity parameters {a, b, tx, ty} into the model frame: Procrustes fit, then tangent scaling. */
    private double[] tangentFrame(double[] x) {
        double[] p = ProcrustesAlignment.fit(x, mean);
        double f = dot(mean, mean) / dot(apply(p, x), mean);
        for (int i = 0; i < 4; i++) p[i] *= f;
        return p;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    // ---- JSON ----

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Json(String format, String data, int shapes, Double varianceRequested, int modes, double varianceExplained,
                double totalVariance, boolean clamp, double[] mean, double[] eigenvalues, double[][] vectors) {}

    public void save(Path file) {
        try {
            JSON.writeValue(file.toFile(), new Json(FORMAT, provenance.data(), provenance.shapes(), provenance.varianceRequested(),
                    modes.length, varianceExplained(), totalVariance, clamp, mean, eigenvalues, modes));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write shape model " + file, e);
        }
    }

    public static ShapeModel load(Path file) {
        Json j;
        try {
            j = JSON.readValue(file.toFile(), Json.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read shape model " + file + ": " + e.getMessage(), e);
        }
        if (!FORMAT.equals(j.format())) throw new IllegalArgumentException(file + ": not a shape model (format " + j.format() + ")");
        if (j.mean() == null || j.vectors() == null || j.eigenvalues() == null || j.vectors().length != j.eigenvalues().length)
            throw new IllegalArgumentException(file + ": incomplete shape model");
        for (double[] v : j.vectors())
            if (v.length != j.mean().length) throw new IllegalArgumentException(file + ": mode length differs from the mean");
        return new ShapeModel(j.mean(), j.vectors(), j.eigenvalues(), j.totalVariance(), j.clamp(),
                new Provenance(j.data(), j.shapes(), j.varianceRequested()));
    }
}

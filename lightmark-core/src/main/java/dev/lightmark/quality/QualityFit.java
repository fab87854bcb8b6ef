package dev.lightmark.quality;

import java.util.List;

/**
 * Fits a {@link QualityModel} on validation faces whose true errors are known: least squares of
 * log NME on the face features (a small ridge keeps it stable), a bias so that the mean predicted
 * NME equals the mean true NME, and a per-point logistic regression (Newton's method) of "point
 * error at most 10 % of the inter-ocular distance". Plain Java, deterministic.
 */
public final class QualityFit {
    /** The point-error threshold (over the inter-ocular distance) that confidence is about. */
    public static final double POINT_THRESHOLD = 0.10;
    private static final double RIDGE = 1e-3;

    /**
     * One validation face.
     *
     * @param signals    what inference produced (with flip readings, so both modes can be fitted)
     * @param nme        its true inter-ocular NME
     * @param pointError per point, true error over the inter-ocular distance of the ground truth
     */
    public record Sample(QualitySignals signals, double nme, double[] pointError) {}

    private QualityFit() {}

    public static QualityModel fit(List<Sample> samples, String fittedOn) {
        if (samples.size() < 20) throw new IllegalArgumentException("need at least 20 faces to fit, got " + samples.size());
        QualityModel m = new QualityModel();
        m.fittedOn = fittedOn;
        m.noFlip = fitMode(samples, false);
        if (samples.stream().allMatch(s -> s.signals().hasFlip())) m.flip = fitMode(samples, true);
        return m;
    }

    private static QualityModel.Params fitMode(List<Sample> samples, boolean flip) {
        QualityModel.Params p = new QualityModel.Params();
        int n = samples.size();
        double[][] x = new double[n][];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = samples.get(i).signals().faceFeatures(flip);
            y[i] = Math.log(Math.max(samples.get(i).nme(), 1e-3));
        }
        p.face = leastSquares(x, y, RIDGE);
        double sumPred = 0, sumTrue = 0;
        double[] logPred = new double[n];
        for (int i = 0; i < n; i++) {
            double z = dot(p.face, x[i]);
            sumPred += Math.exp(z);
            sumTrue += samples.get(i).nme();
            logPred[i] = z;
        }
        p.bias = Math.log(sumTrue / sumPred);
        for (int i = 0; i < n; i++) logPred[i] = Math.log(Math.max(Math.min(Math.exp(logPred[i] + p.bias), 1), 1e-4));
        fitPoints(samples, logPred, flip, p);
        return p;
    }

    /** Logistic regression: per-point intercepts, a disagreement weight (flip only) and a face weight. */
    private static void fitPoints(List<Sample> samples, double[] logPred, boolean flip, QualityModel.Params p) {
        int k = samples.get(0).pointError().length;
        int dim = k + (flip ? 2 : 1);
        double[] w = new double[dim];
        for (int iter = 0; iter < 30; iter++) {
            double[] g = new double[dim];
            double[][] h = new double[dim][dim];
            double[] f = new double[dim];
            int[] idx = new int[3];
            for (int i = 0; i < samples.size(); i++) {
                Sample s = samples.get(i);
                for (int j = 0; j < k; j++) {
                    // sparse features: intercept j, face term, disagreement term
                    idx[0] = j;
                    f[0] = 1;
                    idx[1] = k;
                    f[1] = logPred[i];
                    int m = 2;
                    if (flip) {
                        idx[2] = k + 1;
                        f[2] = s.signals().pointDisagreementFeature(j);
                        m = 3;
                    }
                    double z = 0;
                    for (int a = 0; a < m; a++) z += w[idx[a]] * f[a];
                    double pr = 1 / (1 + Math.exp(-z));
                    double t = s.pointError()[j] <= POINT_THRESHOLD ? 1 : 0;
                    double r = pr - t, v = Math.max(pr * (1 - pr), 1e-9);
                    for (int a = 0; a < m; a++) {
                        g[idx[a]] += r * f[a];
                        for (int b = 0; b < m; b++) h[idx[a]][idx[b]] += v * f[a] * f[b];
                    }
                }
            }
            for (int a = 0; a < dim; a++) {
                g[a] += RIDGE * w[a];
                h[a][a] += RIDGE;
            }
            double[] step = solve(h, g);
            double max = 0;
            for (int a = 0; a < dim; a++) {
                w[a] -= step[a];
                max = Math.max(max, Math.abs(step[a]));
            }
            if (max < 1e-7) break;
        }
        p.pointIntercept = java.util.Arrays.copyOf(w, k);
        p.pointFace = w[k];
        p.pointDisagreement = flip ? w[k + 1] : 0;
    }

    /** Ridge least squares (the first column, the constant, is not penalised). */
    static double[] leastSquares(double[][] x, double[] y, double ridge) {
        int d = x[0].length;
        double[][] a = new double[d][d];
        double[] b = new double[d];
        for (int i = 0; i < x.length; i++)
            for (int r = 0; r < d; r++) {
                b[r] += x[i][r] * y[i];
                for (int c = 0; c < d; c++) a[r][c] += x[i][r] * x[i][c];
            }
        for (int r = 1; r < d; r++) a[r][r] += ridge * x.length;
        return solve(a, b);
    }

    /** Gaussian elimination with partial pivoting; a and b are copied. */
    static double[] solve(double[][] a0, double[] b0) {
        int n = b0.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) a[i] = a0[i].clone();
        double[] b = b0.clone();
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
            double[] t = a[c]; a[c] = a[piv]; a[piv] = t;
            double tb = b[c]; b[c] = b[piv]; b[piv] = tb;
            if (Math.abs(a[c][c]) < 1e-12) throw new IllegalStateException("singular system at column " + c);
            for (int r = c + 1; r < n; r++) {
                double f = a[r][c] / a[c][c];
                if (f == 0) continue;
                for (int k = c; k < n; k++) a[r][k] -= f * a[c][k];
                b[r] -= f * b[c];
            }
        }
        double[] xs = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = b[r];
            for (int k = r + 1; k < n; k++) s -= a[r][k] * xs[k];
            xs[r] = s / a[r][r];
        }
        return xs;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}

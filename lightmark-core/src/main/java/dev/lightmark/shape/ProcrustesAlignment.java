package dev.lightmark.shape;

import dev.lightmark.landmarks.Landmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * Generalised Procrustes analysis: similarity-aligns a set of shapes (translation, scale,
 * rotation; no reflection) to their common mean. The mean is normalised to centroid 0 and unit
 * RMS size (root mean squared distance of the points from the centroid = 1) and its rotation is
 * fixed to that of the average of the size-normalised, un-rotated shapes, so it stays upright
 * when the input faces mostly are.
 */
public final class ProcrustesAlignment {
    private ProcrustesAlignment() {}

    /** The normalised mean, every input shape aligned to it (same order), and iterations run. */
    public record Result(float[] mean, List<Landmarks> aligned, int iterations) {}

    public static Result align(List<Landmarks> shapes) { return align(shapes, 100, 1e-7); }

    /**
     * @param tolerance stop when the RMS per-coordinate change of the mean falls below this
     */
    public static Result align(List<Landmarks> shapes, int maxIterations, double tolerance) {
        if (shapes.isEmpty()) throw new IllegalArgumentException("no shapes to align");
        int n = shapes.get(0).toArray().length;
        for (Landmarks s : shapes)
            if (s.toArray().length != n) throw new IllegalArgumentException("shapes have different point counts");

        // Start: average of the shapes, each centred and scaled to unit RMS size but not rotated.
        double[] start = new double[n];
        for (Landmarks s : shapes) add(start, normalise(toDouble(s.toArray())));
        double[] reference = normalise(start);
        double[] mean = reference.clone();
        List<double[]> aligned = new ArrayList<>();
        int it = 0;
        while (true) {
            it++;
            aligned.clear();
            double[] sum = new double[n];
            for (Landmarks s : shapes) {
                double[] a = apply(fit(toDouble(s.toArray()), mean), toDouble(s.toArray()));
                aligned.add(a);
                add(sum, a);
            }
            double[] next = normalise(sum);
            next = normalise(apply(fit(next, reference), next)); // fix the rotation gauge
            double change = rms(next, mean);
            mean = next;
            if (change < tolerance || it >= maxIterations) break;
        }
        List<Landmarks> out = new ArrayList<>(aligned.size());
        for (double[] a : aligned) out.add(new Landmarks(toFloat(a)));
        return new Result(toFloat(mean), out, it);
    }

    /** The least-squares similarity mapping {@code shape} onto {@code reference} (x0,y0,x1,y1,...). */
    public static Similarity alignTo(Landmarks shape, float[] reference) {
        double[] p = fit(toDouble(shape.toArray()), toDouble(reference));
        return Similarity.fromParameters(p[0], p[1], p[2], p[3]);
    }

    /** A copy of {@code xy} translated to centroid 0 and scaled to unit RMS size. */
    public static float[] normalise(float[] xy) { return toFloat(normalise(toDouble(xy))); }

    // ---- double-precision helpers, shared with ShapeModel ----

    /** Least-squares similarity parameters {a, b, tx, ty} (x' = a x - b y + tx, y' = b x + a y + ty). */
    static double[] fit(double[] src, double[] dst) {
        if (src.length != dst.length) throw new IllegalArgumentException(
                "shape has " + src.length / 2 + " points but the reference has " + dst.length / 2);
        int k = src.length / 2;
        double sx = 0, sy = 0, dx = 0, dy = 0;
        for (int i = 0; i < k; i++) { sx += src[2 * i]; sy += src[2 * i + 1]; dx += dst[2 * i]; dy += dst[2 * i + 1]; }
        sx /= k; sy /= k; dx /= k; dy /= k;
        double norm = 0, dot = 0, cross = 0;
        for (int i = 0; i < k; i++) {
            double x = src[2 * i] - sx, y = src[2 * i + 1] - sy;
            double u = dst[2 * i] - dx, v = dst[2 * i + 1] - dy;
            norm += x * x + y * y;
            dot += x * u + y * v;
            cross += x * v - y * u;
        }
        if (!(norm > 0)) throw new IllegalArgumentException("shape has all points at one place");
        double a = dot / norm, b = cross / norm;
        return new double[]{a, b, dx - (a * sx - b * sy), dy - (b * sx + a * sy)};
    }

    static double[] apply(double[] p, double[] xy) {
        double[] out = new double[xy.length];
        for (int i = 0; i < xy.length; i += 2) {
            out[i] = p[0] * xy[i] - p[1] * xy[i + 1] + p[2];
            out[i + 1] = p[1] * xy[i] + p[0] * xy[i + 1] + p[3];
        }
        return out;
    }

    static double[] normalise(double[] xy) {
        int k = xy.length / 2;
        double cx = 0, cy = 0;
        for (int i = 0; i < k; i++) { cx += xy[2 * i]; cy += xy[2 * i + 1]; }
        cx /= k; cy /= k;
        double ss = 0;
        for (int i = 0; i < k; i++) ss += sq(xy[2 * i] - cx) + sq(xy[2 * i + 1] - cy);
        double s = Math.sqrt(k / ss);
        if (!Double.isFinite(s)) throw new IllegalArgumentException("shape has all points at one place");
        double[] out = new double[xy.length];
        for (int i = 0; i < k; i++) { out[2 * i] = (xy[2 * i] - cx) * s; out[2 * i + 1] = (xy[2 * i + 1] - cy) * s; }
        return out;
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    private static void add(double[] acc, double[] x) { for (int i = 0; i < acc.length; i++) acc[i] += x[i]; }
    private static double sq(double v) { return v * v; }

    private static double rms(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += sq(a[i] - b[i]);
        return Math.sqrt(s / a.length);
    }
}

package dev.lightmark.eval;

import dev.lightmark.geometry.Box;
import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;

/**
 * The distance an NME divides point errors by, always measured on the ground-truth shape and
 * using the landmark scheme's own indices.
 */
public enum Normalizer {
    /** Outer eye corners (68 points: 36 and 45; WFLW: 60 and 72), the 300-W / WFLW convention. */
    INTER_OCULAR("inter-ocular"),
    /** Centroids of the two pupil point sets (68 points: eye contours 36-41 and 42-47). */
    INTER_PUPIL("inter-pupil"),
    /** sqrt(w * h) of the tight box around the ground-truth points. */
    BOX("box");

    private final String label;

    Normalizer(String label) { this.label = label; }

    /** Short human name, e.g. {@code "inter-ocular"}, for axis labels and reports. */
    public String label() { return label; }

    /**
     * The normalising distance of {@code groundTruth}, in its pixels.
     *
     * @throws IllegalArgumentException if the shape does not have {@code scheme.size()} points,
     *                                  or the distance is zero or not finite
     */
    public double distance(Landmarks groundTruth, LandmarkScheme scheme) {
        if (groundTruth.size() != scheme.size())
            throw new IllegalArgumentException("ground truth has " + groundTruth.size() + " points but scheme "
                    + scheme + " has " + scheme.size());
        double d = switch (this) {
            case INTER_OCULAR -> {
                int a = scheme.outerEyeA(), b = scheme.outerEyeB();
                yield Math.hypot((double) groundTruth.x(a) - groundTruth.x(b), (double) groundTruth.y(a) - groundTruth.y(b));
            }
            case INTER_PUPIL -> {
                double[] a = centroid(groundTruth, scheme.pupilA()), b = centroid(groundTruth, scheme.pupilB());
                yield Math.hypot(a[0] - b[0], a[1] - b[1]);
            }
            case BOX -> {
                Box box = groundTruth.bounds();
                yield Math.sqrt((double) box.w() * box.h());
            }
        };
        if (!(d > 0) || !Double.isFinite(d))
            throw new IllegalArgumentException(label + " distance of the ground truth is " + d
                    + " (degenerate shape), cannot normalise");
        return d;
    }

    /** Same as {@link #distance(Landmarks, LandmarkScheme)} with the scheme chosen by point count. */
    public double distance(Landmarks groundTruth) {
        return distance(groundTruth, LandmarkScheme.forSize(groundTruth.size()));
    }

    private static double[] centroid(Landmarks lm, int[] idx) {
        double cx = 0, cy = 0;
        for (int i : idx) { cx += lm.x(i); cy += lm.y(i); }
        return new double[]{cx / idx.length, cy / idx.length};
    }
}

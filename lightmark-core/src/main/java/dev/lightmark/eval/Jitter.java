package dev.lightmark.eval;

import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.shape.ProcrustesAlignment;
import dev.lightmark.shape.Similarity;

/**
 * Landmark jitter between two consecutive frames of one face: the face's global motion is removed
 * by the least-squares similarity (shift, rotation, scale) from the first shape to the second;
 * what is left is the points' own motion, averaged over points and divided by the inter-ocular
 * distance (outer eye corners, mean of the two frames). Still faces give the detector's jitter;
 * talking or changing expression adds real motion, so compare settings on the same clips.
 */
public final class Jitter {
    private Jitter() {}

    public static double between(Landmarks first, Landmarks second) {
        if (first.size() != second.size()) throw new IllegalArgumentException(
                "shapes have " + first.size() + " and " + second.size() + " points");
        Similarity s = ProcrustesAlignment.alignTo(first, second.toArray());
        Landmarks moved = first.transform(s.transform());
        double sum = 0;
        for (int i = 0; i < first.size(); i++) sum += Math.hypot(moved.x(i) - second.x(i), moved.y(i) - second.y(i));
        LandmarkScheme scheme = LandmarkScheme.forSize(first.size());
        double iod = 0.5 * (first.interOcular(scheme) + second.interOcular(scheme));
        if (!(iod > 0)) throw new IllegalArgumentException("inter-ocular distance is zero");
        return sum / first.size() / iod;
    }

    /** Running mean over frame pairs. */
    public static final class Mean {
        private double sum;
        private long pairs;

        public void add(Landmarks first, Landmarks second) {
            sum += between(first, second);
            pairs++;
        }

        public void add(Mean other) {
            sum += other.sum;
            pairs += other.pairs;
        }

        public long pairs() { return pairs; }
        /** Mean jitter as a fraction of the inter-ocular distance; NaN before any pair. */
        public double mean() { return pairs == 0 ? Double.NaN : sum / pairs; }
    }
}

package dev.lightmark.eval;

import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;

/** Normalised mean error of one face: mean point-to-point Euclidean error / a normalising distance. */
public final class Nme {
    private Nme() {}

    /**
     * NME of one face.
     *
     * @throws IllegalArgumentException if the point counts differ, do not match the scheme, a predicted
     *                                  coordinate is not finite, or the normaliser is degenerate
     */
    public static double of(Landmarks predicted, Landmarks groundTruth, LandmarkScheme scheme, Normalizer normalizer) {
        double mean = meanError(predicted, groundTruth);
        return mean / normalizer.distance(groundTruth, scheme);
    }

    /** NME with the scheme chosen from the ground truth's point count. */
    public static double of(Landmarks predicted, Landmarks groundTruth, Normalizer normalizer) {
        return of(predicted, groundTruth, LandmarkScheme.forSize(groundTruth.size()), normalizer);
    }

    /** Mean Euclidean error over points, in pixels (not normalised). */
    public static double meanError(Landmarks predicted, Landmarks groundTruth) {
        if (predicted.size() != groundTruth.size())
            throw new IllegalArgumentException("predicted shape has " + predicted.size()
                    + " points but the ground truth has " + groundTruth.size());
        if (groundTruth.size() == 0) throw new IllegalArgumentException("shapes have no points");
        double sum = 0;
        for (int i = 0; i < predicted.size(); i++) {
            double px = predicted.x(i), py = predicted.y(i);
            if (!Double.isFinite(px) || !Double.isFinite(py))
                throw new IllegalArgumentException("predicted point " + i + " is not finite (" + px + ", " + py + ")");
            sum += Math.hypot(px - groundTruth.x(i), py - groundTruth.y(i));
        }
        return sum / predicted.size();
    }
}

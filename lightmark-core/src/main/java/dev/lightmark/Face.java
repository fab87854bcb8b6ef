package dev.lightmark;

import dev.lightmark.geometry.Box;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.quality.FacePose;
import dev.lightmark.quality.FaceQuality;

/**
 * One face found by {@link Lightmark}: where the detector saw it, how sure it was, the box the
 * landmark model cropped, the 68 points (iBUG 300-W order) in image pixels, and how far the model
 * itself trusts them.
 *
 * @param box         the detector's box, image pixels
 * @param score       the detector's confidence in [0, 1] (1 for faces given by the caller)
 * @param landmarkBox the box the landmark model cropped around
 * @param points      68 landmarks: jaw 0-16, brows 17-26, nose 27-35, eyes 36-47, mouth 48-67
 * @param quality     predicted NME, per-point confidence and head pose (see {@link FaceQuality})
 */
public record Face(Box box, float score, Box landmarkBox, Landmarks points, FaceQuality quality) {
    /** Point {@code i} as {x, y}. */
    public float[] point(int i) { return new float[]{points.x(i), points.y(i)}; }

    /** The model's estimate of its own inter-ocular NME on this face: under 0.05 good, over 0.10 a likely failure. */
    public double predictedNme() { return quality.predictedNme(); }

    /** Probability in [0, 1] that point {@code i} is within 10 % of the inter-ocular distance of the truth. */
    public float confidence(int i) { return quality.confidence(i); }

    /** Yaw, pitch and roll in degrees, fitted from the points. */
    public FacePose pose() { return quality.pose(); }
}

package dev.lightmark;

import dev.lightmark.geometry.Box;
import dev.lightmark.landmarks.Landmarks;

/**
 * One face found by {@link Lightmark}: where the detector saw it, how sure it was, the box the
 * landmark model cropped, and the 68 points (iBUG 300-W order) in image pixels.
 *
 * @param box         the detector's box, image pixels
 * @param score       the detector's confidence in [0, 1] (1 for faces given by the caller)
 * @param landmarkBox the box the landmark model cropped around
 * @param points      68 landmarks: jaw 0-16, brows 17-26, nose 27-35, eyes 36-47, mouth 48-67
 */
public record Face(Box box, float score, Box landmarkBox, Landmarks points) {
    /** Point {@code i} as {x, y}. */
    public float[] point(int i) { return new float[]{points.x(i), points.y(i)}; }
}

package dev.lightmark.infer;

import dev.lightmark.geometry.Box;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.quality.FaceQuality;

/**
 * One face found in an image: detector box and score, the landmark box used, the points, and the
 * model's estimate of how far to trust them (null before landmarks are placed).
 */
public record FaceResult(Box detectorBox, float score, Box landmarkBox, Landmarks landmarks, FaceQuality quality) {
    public FaceResult(Box detectorBox, float score, Box landmarkBox, Landmarks landmarks) {
        this(detectorBox, score, landmarkBox, landmarks, null);
    }
}

package dev.lightmark.infer;

import dev.lightmark.geometry.Box;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.quality.FaceQuality;

/**
 * One face found in an image: detector box and score, the landmark box used, the points, the
 * model's estimate of how far to trust them (null before landmarks are placed), and a
 * {@code warning}: null for a normal result, otherwise why the points cannot be trusted at all
 * (see {@link OutputCheck}).
 */
public record FaceResult(Box detectorBox, float score, Box landmarkBox, Landmarks landmarks, FaceQuality quality, String warning) {
    public FaceResult(Box detectorBox, float score, Box landmarkBox, Landmarks landmarks) {
        this(detectorBox, score, landmarkBox, landmarks, null, null);
    }

    public FaceResult(Box detectorBox, float score, Box landmarkBox, Landmarks landmarks, FaceQuality quality) {
        this(detectorBox, score, landmarkBox, landmarks, quality, null);
    }

    /** True when the landmarks were flagged as untrustworthy. */
    public boolean suspect() { return warning != null; }
}

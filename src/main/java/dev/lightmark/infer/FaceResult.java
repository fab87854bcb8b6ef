package dev.lightmark.infer;

import dev.lightmark.geometry.Box;
import dev.lightmark.landmarks.Landmarks;

/**
 * One face found in an image: detector box and score, the landmark box used, and the points.
 * {@code warning} is null for a normal result; otherwise it says why the points cannot be trusted
 * (see {@link OutputCheck}).
 */
public record FaceResult(Box detectorBox, float score, Box landmarkBox, Landmarks landmarks, String warning) {
    public FaceResult(Box detectorBox, float score, Box landmarkBox, Landmarks landmarks) {
        this(detectorBox, score, landmarkBox, landmarks, null);
    }

    /** True when the landmarks were flagged as untrustworthy. */
    public boolean suspect() { return warning != null; }
}

package dev.lightmark.infer;

import dev.lightmark.geometry.Box;
import dev.lightmark.landmarks.Landmarks;

/** One face found in an image: detector box and score, the landmark box used, and the points. */
public record FaceResult(Box detectorBox, float score, Box landmarkBox, Landmarks landmarks) {}

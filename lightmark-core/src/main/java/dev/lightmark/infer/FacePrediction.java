package dev.lightmark.infer;

import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.quality.FaceQuality;
import dev.lightmark.quality.QualitySignals;

/**
 * A face's landmarks in image pixels with the model's own estimate of how far to trust them, and
 * the signals that estimate came from (null when only points were asked for).
 */
public record FacePrediction(Landmarks points, FaceQuality quality, QualitySignals signals) {}

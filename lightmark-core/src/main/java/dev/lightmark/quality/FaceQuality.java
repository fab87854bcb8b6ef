package dev.lightmark.quality;

/**
 * How far a face's landmarks can be trusted, as the model itself estimates it.
 *
 * @param predictedNme the model's estimate of its own inter-ocular NME on this face (its mean point
 *                     error over the outer-eye-corner distance): below 0.05 is a good face, above
 *                     0.10 a likely failure; in [0, 1]
 * @param confidence   per point, the estimated probability that the point is within 10 % of the
 *                     inter-ocular distance of the truth; each in [0, 1]
 * @param pose         head pose fitted from the predicted points
 * @param doubtful     true when a caller's limit on {@code predictedNme} marked the face (see {@link #flag})
 */
public record FaceQuality(double predictedNme, float[] confidence, FacePose pose, boolean doubtful) {
    /** Points with a confidence below this are drawn as doubtful in overlays. */
    public static final float LOW_CONFIDENCE = 0.5f;

    public FaceQuality {
        if (!(predictedNme >= 0 && predictedNme <= 1)) throw new IllegalArgumentException("predictedNme " + predictedNme + " not in [0, 1]");
        for (float c : confidence)
            if (!(c >= 0 && c <= 1)) throw new IllegalArgumentException("confidence " + c + " not in [0, 1]");
        confidence = confidence.clone();
    }

    @Override public float[] confidence() { return confidence.clone(); }

    public float confidence(int point) { return confidence[point]; }

    public double meanConfidence() {
        double s = 0;
        for (float c : confidence) s += c;
        return confidence.length == 0 ? 0 : s / confidence.length;
    }

    /** This face marked doubtful when its predicted NME is above {@code maxPredictedNme}. */
    public FaceQuality flag(double maxPredictedNme) {
        return new FaceQuality(predictedNme, confidence, pose, predictedNme > maxPredictedNme);
    }
}

package dev.lightmark.quality;

/**
 * What to do with faces the model itself doubts: a face whose predicted NME is above
 * {@code maxPredictedNme} is marked doubtful, and left out of the output when {@code drop} is set.
 * The default limit, 0.10, is the usual failure threshold.
 */
public record TrustPolicy(double maxPredictedNme, boolean drop) {
    public static final TrustPolicy DEFAULT = new TrustPolicy(0.10, false);

    public TrustPolicy {
        if (!(maxPredictedNme > 0)) throw new IllegalArgumentException("max predicted NME must be > 0, got " + maxPredictedNme);
    }

    /** The quality with its doubtful mark set by this policy (null stays null). */
    public FaceQuality mark(FaceQuality q) { return q == null ? null : q.flag(maxPredictedNme); }

    /** False for a doubtful face when doubtful faces are dropped. */
    public boolean keep(FaceQuality q) { return !drop || q == null || !(q.predictedNme() > maxPredictedNme); }
}

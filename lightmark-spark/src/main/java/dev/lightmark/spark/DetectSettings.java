package dev.lightmark.spark;

import dev.lightmark.infer.FacePipeline;
import dev.lightmark.quality.TrustPolicy;

import java.io.Serializable;

/**
 * The detection settings of a Spark job, shipped to the executors with each task. They are the
 * settings of {@code lightmark detect} ({@code --model}, {@code --detector}, {@code --threshold},
 * {@code --[no-]flip}, {@code --threads}, {@code --max-predicted-nme}, {@code --drop-doubtful})
 * with its defaults, so both give the same faces.
 *
 * @param model     a {@code .onnx} landmark model readable at this path on every executor, a
 *                  bundled model's name ({@code default}, {@code fast}), or null for the default
 *                  bundled model (bundled models travel inside the job jar)
 * @param detector  BlazeFace FRONT, BACK or AUTO (both, merged)
 * @param threshold detector score threshold in (0, 1)
 * @param flip      test-time flip (average with the mirrored face)
 * @param threads   intra-op threads of each ONNX Runtime session; Spark's task slots already use
 *                  every core, so 1 is right unless tasks are fewer than cores
 * @param maxPredictedNme faces whose predicted NME is above this are marked doubtful
 * @param dropDoubtful    leave doubtful faces out of the output
 */
public record DetectSettings(String model, FacePipeline.DetectorChoice detector, float threshold, boolean flip, int threads,
                             double maxPredictedNme, boolean dropDoubtful) implements Serializable {
    public DetectSettings {
        if (detector == null) throw new IllegalArgumentException("detector must be FRONT, BACK or AUTO");
        if (!(threshold > 0 && threshold < 1)) throw new IllegalArgumentException("threshold must be in (0, 1), not " + threshold);
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        trust(maxPredictedNme, dropDoubtful);  // checks the limit
    }

    /** The defaults of {@code lightmark detect}: default bundled model, AUTO, 0.5, flip on, one thread, predicted NME limit 0.10. */
    public static DetectSettings defaults() {
        return new DetectSettings(null, FacePipeline.DetectorChoice.AUTO, 0.5f, true, 1,
                TrustPolicy.DEFAULT.maxPredictedNme(), TrustPolicy.DEFAULT.drop());
    }

    /** The core's policy for these settings. */
    public TrustPolicy trust() { return trust(maxPredictedNme, dropDoubtful); }

    private static TrustPolicy trust(double max, boolean drop) { return new TrustPolicy(max, drop); }

    public DetectSettings withModel(String m) { return new DetectSettings(m, detector, threshold, flip, threads, maxPredictedNme, dropDoubtful); }

    public DetectSettings withDetector(FacePipeline.DetectorChoice d) { return new DetectSettings(model, d, threshold, flip, threads, maxPredictedNme, dropDoubtful); }

    public DetectSettings withThreshold(float t) { return new DetectSettings(model, detector, t, flip, threads, maxPredictedNme, dropDoubtful); }

    public DetectSettings withFlip(boolean f) { return new DetectSettings(model, detector, threshold, f, threads, maxPredictedNme, dropDoubtful); }

    public DetectSettings withThreads(int n) { return new DetectSettings(model, detector, threshold, flip, n, maxPredictedNme, dropDoubtful); }

    public DetectSettings withTrust(TrustPolicy t) { return new DetectSettings(model, detector, threshold, flip, threads, t.maxPredictedNme(), t.drop()); }
}

package dev.lightmark.train;

import dev.lightmark.augment.Augmenter;
import dev.lightmark.augment.CropPolicy;
import dev.lightmark.image.Warp;
import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.pose.HeadPose;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Turns faces into batches. Each sample's randomness comes from (seed, epoch, sample index)
 * alone, so a batch is the same whether or not the run was interrupted and resumed.
 */
public final class BatchMaker {
    private final FaceBank bank;
    private final float[] attributeWeights;
    private final CropPolicy policy;
    private final Augmenter augmenter;
    private final LandmarkScheme scheme;
    private final long seed;

    public BatchMaker(FaceBank bank, float[] attributeWeights, CropPolicy policy, Augmenter.Settings settings,
                      LandmarkScheme scheme, long seed) {
        this.bank = bank;
        this.attributeWeights = attributeWeights;
        this.policy = policy;
        this.augmenter = new Augmenter(policy, settings, scheme);
        this.scheme = scheme;
        this.seed = seed;
    }

    public Batch make(int[] indices, int epoch) {
        int n = indices.length, s = policy.inputSize(), k = scheme.size();
        float[] images = new float[n * 3 * s * s];
        float[] targets = new float[n * 2 * k];
        float[] angles = new float[n * 3];
        float[] weights = new float[n];
        float[] io = new float[n];
        IntStream.range(0, n).parallel().forEach(b -> {
            int idx = indices[b];
            FaceBank.Face f = bank.get(idx);
            SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + epoch * 100_003L + idx);
            Augmenter.Draw d = augmenter.draw(f.sample().faceBox(), rnd);
            float[] chw = Warp.toChw(f.pixels(), f.width(), f.height(), d.toCrop(), s);
            Augmenter.jitterColour(chw, s, d);
            for (int i = 0; i < chw.length; i++) images[b * chw.length + i] = (chw[i] - 127.5f) / 128f;
            Landmarks lm = augmenter.apply(f.sample().landmarks(), d);
            for (int i = 0; i < k; i++) {
                targets[b * 2 * k + 2 * i] = lm.x(i) / s;
                targets[b * 2 * k + 2 * i + 1] = lm.y(i) / s;
            }
            if (k == 68) System.arraycopy(HeadPose.estimate(lm), 0, angles, b * 3, 3);
            weights[b] = attributeWeights == null ? 1f : attributeWeights[idx];
            io[b] = lm.interOcular(scheme) / s;
        });
        return new Batch(n, images, targets, angles, weights, io);
    }
}

package dev.lightmark.train;

import dev.lightmark.augment.Augmenter;
import dev.lightmark.augment.CropEffects;
import dev.lightmark.augment.CropPolicy;
import dev.lightmark.geometry.Affine;
import dev.lightmark.heatmap.GaussianHeatmaps;
import dev.lightmark.image.Warp;
import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Turns faces into heatmap batches: geometric augmentation and padding, then colour jitter, blur
 * and erasing on the crop, then heatmaps of the moved landmarks. Each sample's randomness comes
 * from (seed, epoch, sample index) alone, so a batch is the same after an interruption and resume.
 */
public final class HeatmapBatchMaker {
    private final FaceBank bank;
    private final CropPolicy policy;
    private final Augmenter augmenter;
    private final CropEffects effects;
    private final GaussianHeatmaps encoder;
    private final LandmarkScheme scheme;
    private final long seed;

    public HeatmapBatchMaker(FaceBank bank, CropPolicy policy, Augmenter.Settings geometry, CropEffects.Settings crop,
                             GaussianHeatmaps encoder, LandmarkScheme scheme, long seed) {
        if (policy.inputSize() != 4 * encoder.size())
            throw new IllegalArgumentException("heatmaps must be a quarter of the crop: " + encoder.size() + " vs " + policy.inputSize());
        this.bank = bank;
        this.policy = policy;
        this.augmenter = new Augmenter(policy, geometry, scheme);
        this.effects = new CropEffects(crop);
        this.encoder = encoder;
        this.scheme = scheme;
        this.seed = seed;
    }

    public HeatmapBatch make(int[] indices, int epoch) {
        int n = indices.length, s = policy.inputSize(), k = scheme.size(), h = encoder.size();
        float[] images = new float[n * 3 * s * s];
        float[] maps = new float[n * k * h * h];
        float[] targets = new float[n * 2 * k];
        float[] io = new float[n];
        IntStream.range(0, n).parallel().forEach(b -> {
            int idx = indices[b];
            FaceBank.Face f = bank.get(idx);
            SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + epoch * 100_003L + idx);
            Augmenter.Draw d = augmenter.draw(f.sample().faceBox(), rnd);
            CropEffects.Draw e = effects.draw(s, rnd);
            Affine toCrop = CropEffects.shrink(d.toCrop(), e, s);
            Augmenter.Draw moved = new Augmenter.Draw(toCrop, d.flipped(), d.brightness(), d.contrast(), d.saturation());
            float[] chw = Warp.toChw(f.pixels(), f.width(), f.height(), toCrop, s);
            CropEffects.fillBorderOnly(chw, s, e);
            Augmenter.jitterColour(chw, s, moved);
            CropEffects.blurAndErase(chw, s, e);
            for (int i = 0; i < chw.length; i++) images[b * chw.length + i] = (chw[i] - 127.5f) / 128f;
            Landmarks lm = augmenter.apply(f.sample().landmarks(), moved);
            float[] xy = lm.toArray();
            for (int i = 0; i < 2 * k; i++) targets[b * 2 * k + i] = xy[i] / s;
            float toMap = (float) h / s;
            for (int i = 0; i < xy.length; i++) xy[i] *= toMap;
            encoder.encode(xy, maps, b * k * h * h);
            io[b] = lm.interOcular(scheme) / s;
        });
        return new HeatmapBatch(n, images, maps, targets, io);
    }
}

package dev.lightmark.augment;

import dev.lightmark.geometry.Affine;
import dev.lightmark.geometry.Box;
import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;

import java.util.SplittableRandom;

/**
 * Random geometric and photometric changes for training. Geometric ones are folded into the
 * image->crop affine map, so points and pixels move together and the map can be inverted.
 */
public final class Augmenter {
    /**
     * Settings; all zero / false gives the plain evaluation crop. {@code annotationOffsetX}: how far
     * right of the image content the annotations lie, in source-image pixels (a pixel-origin
     * convention; {@code lightmark calibrate} measures it with its mirror test). A mirrored crop
     * would carry that offset to the left; with it set, mirrored crops' points are moved back, so
     * both kinds of crop teach the same offset.
     */
    public record Settings(float shift, float scaleJitter, float maxRotationDeg, float flipProbability,
                           float brightness, float contrast, float saturation, float annotationOffsetX) {
        public Settings(float shift, float scaleJitter, float maxRotationDeg, float flipProbability,
                        float brightness, float contrast, float saturation) {
            this(shift, scaleJitter, maxRotationDeg, flipProbability, brightness, contrast, saturation, 0f);
        }

        public static final Settings NONE = new Settings(0, 0, 0, 0, 0, 0, 0);
        /** Detector-like box noise, rotation up to 30 degrees, flips and colour jitter. */
        public static final Settings DEFAULT = new Settings(0.06f, 0.1f, 30f, 0.5f, 0.25f, 0.3f, 0.3f);
    }

    /** A sampled augmentation: the image->crop map and whether the crop was mirrored. */
    public record Draw(Affine toCrop, boolean flipped, float brightness, float contrast, float saturation) {}

    private final CropPolicy policy;
    private final Settings s;
    private final LandmarkScheme scheme;

    public Augmenter(CropPolicy policy, Settings settings, LandmarkScheme scheme) {
        this.policy = policy;
        this.s = settings;
        this.scheme = scheme;
    }

    public Draw draw(Box face, SplittableRandom rnd) {
        float side = Math.max(face.w(), face.h());
        float dx = uniform(rnd, s.shift()) * side, dy = uniform(rnd, s.shift()) * side;
        float k = 1 + uniform(rnd, s.scaleJitter());
        Box jittered = new Box(face.cx() + dx - face.w() * k / 2, face.cy() + dy - face.h() * k / 2,
                face.w() * k, face.h() * k);
        // Rotations near zero are most common in real photos; a triangular draw keeps them so.
        float rot = (float) Math.toRadians(s.maxRotationDeg() * (float) (rnd.nextDouble() - rnd.nextDouble()));
        Affine a = policy.toCrop(jittered, rot);
        boolean flip = rnd.nextDouble() < s.flipProbability();
        if (flip) a = new Affine(-1, 0, policy.inputSize(), 0, 1, 0).compose(a);
        return new Draw(a, flip, 1 + uniform(rnd, s.brightness()), 1 + uniform(rnd, s.contrast()),
                1 + uniform(rnd, s.saturation()));
    }

    /** Landmarks in crop coordinates for a draw (re-indexed if mirrored). */
    public Landmarks apply(Landmarks lm, Draw d) {
        Landmarks out = lm.transform(d.toCrop());
        if (!d.flipped()) return out;
        float o = s.annotationOffsetX();
        if (o != 0f) {
            // The mirror turned the source's x-axis offset (o, 0) into -L(o, 0) in the crop (L the
            // unmirrored map's linear part); an unmirrored crop of a mirrored photo would carry
            // (a o, -d o). The difference, (2 a o, -2 d o), in terms of the mirrored map (-a, d).
            Affine m = d.toCrop();
            out = out.transform(Affine.translate(-2f * m.a() * o, -2f * m.d() * o));
        }
        return out.mirrorOrder(scheme);
    }

    /** Colour jitter in place on CHW floats in [0, 255]. */
    public static void jitterColour(float[] chw, int size, Draw d) {
        if (d.brightness() == 1 && d.contrast() == 1 && d.saturation() == 1) return;
        int plane = size * size;
        double mean = 0;
        for (int i = 0; i < plane; i++) mean += 0.299f * chw[i] + 0.587f * chw[plane + i] + 0.114f * chw[2 * plane + i];
        float m = (float) (mean / plane);
        for (int i = 0; i < plane; i++) {
            float r = chw[i], g = chw[plane + i], b = chw[2 * plane + i];
            float grey = 0.299f * r + 0.587f * g + 0.114f * b;
            r = grey + (r - grey) * d.saturation();
            g = grey + (g - grey) * d.saturation();
            b = grey + (b - grey) * d.saturation();
            chw[i] = clamp((m + (r - m) * d.contrast()) * d.brightness());
            chw[plane + i] = clamp((m + (g - m) * d.contrast()) * d.brightness());
            chw[2 * plane + i] = clamp((m + (b - m) * d.contrast()) * d.brightness());
        }
    }

    private static float clamp(float v) { return v < 0 ? 0 : Math.min(255, v); }

    private static float uniform(SplittableRandom r, float amp) {
        return amp == 0 ? 0 : (float) ((r.nextDouble() * 2 - 1) * amp);
    }
}

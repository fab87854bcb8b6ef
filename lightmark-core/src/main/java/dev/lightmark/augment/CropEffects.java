package dev.lightmark.augment;

import dev.lightmark.geometry.Affine;

import java.util.SplittableRandom;

/**
 * Training augmentations on the crop itself, after {@link Augmenter}'s geometric draw:
 * <ul>
 *   <li>padding: the face is shrunk inside the crop and the border around it is filled with a
 *       constant grey or by replicating the edge pixels, as when a detector box is too loose or
 *       a face touches the photo's edge. It is geometric, so it goes into the image->crop map
 *       ({@link #shrink}) and the landmarks move with the pixels;</li>
 *   <li>Gaussian blur of random sigma (focus and motion softness, low-resolution faces);</li>
 *   <li>random erasing: a rectangle of noise or of one colour (occlusion by hands, hair, objects).
 *       Landmarks under it keep their positions: the network must infer hidden points.</li>
 * </ul>
 * Blur and erasing change pixels only; landmarks are untouched.
 */
public final class CropEffects {
    /**
     * @param padProbability   chance of a padding border
     * @param maxPad           largest share of the crop side the border may take (both sides together)
     * @param blurProbability  chance of a blur
     * @param maxBlurSigma     blur sigma is drawn in [0.5, max] crop pixels
     * @param eraseProbability chance of an erased rectangle
     * @param maxEraseArea     its area is drawn in [0.02, max] of the crop's area
     */
    public record Settings(float padProbability, float maxPad, float blurProbability, float maxBlurSigma,
                           float eraseProbability, float maxEraseArea) {
        public static final Settings NONE = new Settings(0, 0, 0, 0, 0, 0);
        public static final Settings DEFAULT = new Settings(0.3f, 0.25f, 0.3f, 1.5f, 0.4f, 0.2f);
    }

    /**
     * One sampled set of effects. Padding: the face occupies the square at (padX, padY) of side
     * padSide (crop pixels; padSide = crop size means no padding). Blur sigma 0 = none; erase
     * width 0 = none.
     */
    public record Draw(float padX, float padY, float padSide, boolean padReplicate, float padGrey,
                       float blurSigma, int eraseX, int eraseY, int eraseW, int eraseH,
                       boolean eraseNoise, float eraseR, float eraseG, float eraseB, long noiseSeed) {}

    private final Settings s;

    public CropEffects(Settings settings) { this.s = settings; }

    public Draw draw(int size, SplittableRandom rnd) {
        float padX = 0, padY = 0, side = size, grey = 0;
        boolean replicate = false;
        if (s.maxPad() > 0 && rnd.nextDouble() < s.padProbability()) {
            float pad = (float) (rnd.nextDouble() * s.maxPad()) * size;
            side = size - pad;
            padX = (float) rnd.nextDouble() * pad;   // the border is split at random between sides
            padY = (float) rnd.nextDouble() * pad;
            replicate = rnd.nextBoolean();
            grey = (float) rnd.nextDouble() * 255f;
        }
        float sigma = 0;
        if (s.maxBlurSigma() > 0 && rnd.nextDouble() < s.blurProbability())
            sigma = 0.5f + (float) rnd.nextDouble() * Math.max(0, s.maxBlurSigma() - 0.5f);
        int ex = 0, ey = 0, ew = 0, eh = 0;
        boolean noise = false;
        float r = 0, g = 0, b = 0;
        long seed = 0;
        if (s.maxEraseArea() > 0 && rnd.nextDouble() < s.eraseProbability()) {
            double area = (0.02 + rnd.nextDouble() * Math.max(0, s.maxEraseArea() - 0.02)) * size * size;
            double aspect = Math.exp(Math.log(0.3) + rnd.nextDouble() * (Math.log(3.3) - Math.log(0.3)));
            ew = (int) Math.max(1, Math.min(size, Math.round(Math.sqrt(area * aspect))));
            eh = (int) Math.max(1, Math.min(size, Math.round(Math.sqrt(area / aspect))));
            ex = rnd.nextInt(size - ew + 1);
            ey = rnd.nextInt(size - eh + 1);
            noise = rnd.nextBoolean();
            r = (float) rnd.nextDouble() * 255f;
            g = (float) rnd.nextDouble() * 255f;
            b = (float) rnd.nextDouble() * 255f;
            seed = rnd.nextLong();
        }
        return new Draw(padX, padY, side, replicate, grey, sigma, ex, ey, ew, eh, noise, r, g, b, seed);
    }

    /** The image->crop map with the face shrunk into the padded square (unchanged without padding). */
    public static Affine shrink(Affine toCrop, Draw d, int size) {
        if (d.padSide() >= size) return toCrop;
        float k = d.padSide() / size;
        return Affine.translate(d.padX(), d.padY()).compose(Affine.scale(k, k)).compose(toCrop);
    }

    /** Applies padding fill, blur and erasing in place to CHW floats in [0, 255]. */
    public static void apply(float[] chw, int size, Draw d) {
        fillBorderOnly(chw, size, d);
        blurAndErase(chw, size, d);
    }

    /** The padding fill alone (so colour jitter can come between it and the rest). */
    public static void fillBorderOnly(float[] chw, int size, Draw d) {
        if (d.padSide() < size) fillBorder(chw, size, d);
    }

    /** Blur, then erasing: an occluder is sharp even in a soft photo. */
    public static void blurAndErase(float[] chw, int size, Draw d) {
        if (d.blurSigma() > 0) blur(chw, size, d.blurSigma());
        if (d.eraseW() > 0) erase(chw, size, d);
    }

    /** Pixels whose centre is outside the face square get the fill. */
    static void fillBorder(float[] chw, int size, Draw d) {
        int plane = size * size;
        // First and last pixel whose centre lies inside [pad, pad + side).
        int u0 = (int) Math.ceil(d.padX() - 0.5f), u1 = (int) Math.ceil(d.padX() + d.padSide() - 0.5f) - 1;
        int v0 = (int) Math.ceil(d.padY() - 0.5f), v1 = (int) Math.ceil(d.padY() + d.padSide() - 0.5f) - 1;
        u0 = clamp(u0, 0, size - 1);
        v0 = clamp(v0, 0, size - 1);
        u1 = clamp(u1, u0, size - 1);
        v1 = clamp(v1, v0, size - 1);
        for (int v = 0; v < size; v++) {
            for (int u = 0; u < size; u++) {
                if (u >= u0 && u <= u1 && v >= v0 && v <= v1) continue;
                int o = v * size + u;
                if (d.padReplicate()) {
                    int from = clamp(v, v0, v1) * size + clamp(u, u0, u1);
                    for (int c = 0; c < 3; c++) chw[c * plane + o] = chw[c * plane + from];
                } else {
                    for (int c = 0; c < 3; c++) chw[c * plane + o] = d.padGrey();
                }
            }
        }
    }

    /** Separable Gaussian blur of each channel, edges replicated. */
    static void blur(float[] chw, int size, float sigma) {
        int r = Math.max(1, (int) Math.ceil(3 * sigma));
        float[] k = new float[2 * r + 1];
        float sum = 0;
        for (int i = -r; i <= r; i++) sum += k[i + r] = (float) Math.exp(-i * i / (2.0 * sigma * sigma));
        for (int i = 0; i < k.length; i++) k[i] /= sum;
        int plane = size * size;
        float[] tmp = new float[plane];
        for (int c = 0; c < 3; c++) {
            int base = c * plane;
            for (int v = 0; v < size; v++)
                for (int u = 0; u < size; u++) {
                    float acc = 0;
                    for (int i = -r; i <= r; i++) acc += k[i + r] * chw[base + v * size + clamp(u + i, 0, size - 1)];
                    tmp[v * size + u] = acc;
                }
            for (int v = 0; v < size; v++)
                for (int u = 0; u < size; u++) {
                    float acc = 0;
                    for (int i = -r; i <= r; i++) acc += k[i + r] * tmp[clamp(v + i, 0, size - 1) * size + u];
                    chw[base + v * size + u] = acc;
                }
        }
    }

    static void erase(float[] chw, int size, Draw d) {
        int plane = size * size;
        SplittableRandom noise = new SplittableRandom(d.noiseSeed());
        float[] colour = {d.eraseR(), d.eraseG(), d.eraseB()};
        for (int v = d.eraseY(); v < d.eraseY() + d.eraseH(); v++)
            for (int u = d.eraseX(); u < d.eraseX() + d.eraseW(); u++)
                for (int c = 0; c < 3; c++)
                    chw[c * plane + v * size + u] = d.eraseNoise() ? (float) noise.nextDouble() * 255f : colour[c];
    }

    private static int clamp(int v, int lo, int hi) { return v < lo ? lo : Math.min(hi, v); }
}

package dev.lightmark.augment;

import dev.lightmark.geometry.Affine;
import dev.lightmark.geometry.Box;
import dev.lightmark.image.Warp;
import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class CropEffectsTest {
    private static final int S = 112;

    /** A 200x160 image of random colours with a bright 5x5 mark under landmark 36. */
    private static int[] image(float[] xy) {
        int w = 200, h = 160;
        int[] px = new int[w * h];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < px.length; i++) px[i] = r.nextInt(0x808080);
        for (int i = 0; i < 68; i++) {
            xy[2 * i] = 60 + r.nextInt(80) + 0.5f;
            xy[2 * i + 1] = 40 + r.nextInt(80) + 0.5f;
        }
        for (int dy = -2; dy <= 2; dy++)
            for (int dx = -2; dx <= 2; dx++)
                px[((int) xy[2 * 36 + 1] + dy) * w + (int) xy[2 * 36] + dx] = 0xFFFFFF;
        return px;
    }

    @Test
    void paddingMovesLandmarksWithThePixelsAndFillsTheBorder() {
        float[] xy = new float[136];
        int[] px = image(xy);
        Landmarks lm = new Landmarks(xy);
        Augmenter aug = new Augmenter(CropPolicy.PFLD, Augmenter.Settings.DEFAULT, LandmarkScheme.IBUG68);
        CropEffects fx = new CropEffects(new CropEffects.Settings(1f, 0.4f, 0, 0, 0, 0));
        Box box = new Box(55, 35, 90, 90);
        int replicated = 0;
        for (int k = 0; k < 20; k++) {
            SplittableRandom rnd = new SplittableRandom(k);
            Augmenter.Draw d = aug.draw(box, rnd);
            CropEffects.Draw e = fx.draw(S, rnd);
            assertTrue(e.padSide() < S && e.padSide() >= 0.6f * S, "pad side " + e.padSide());
            Affine toCrop = CropEffects.shrink(d.toCrop(), e, S);
            float[] chw = Warp.toChw(px, 200, 160, toCrop, S);
            CropEffects.apply(chw, S, e);
            // The same map moves the points: the mark is still under its landmark.
            Landmarks out = aug.apply(lm, new Augmenter.Draw(toCrop, d.flipped(), 1, 1, 1));
            int at = d.flipped() ? LandmarkScheme.IBUG68.mirrorOf(36) : 36;
            int u = (int) out.x(at), v = (int) out.y(at);
            assertTrue(chw[v * S + u] > 200, "draw " + k + ": no mark under the moved point");
            // Every point is inside the face square.
            for (int i = 0; i < 68; i++) {
                assertTrue(out.x(i) >= e.padX() && out.x(i) <= e.padX() + e.padSide(), "x of point " + i);
                assertTrue(out.y(i) >= e.padY() && out.y(i) <= e.padY() + e.padSide(), "y of point " + i);
            }
            // A corner outside the square is the fill: constant grey, or the nearest inside pixel.
            int cu = e.padX() > 1 ? 0 : S - 1, cv = e.padY() > 1 ? 0 : S - 1;
            if (e.padReplicate()) {
                replicated++;
                int iu = cu == 0 ? (int) Math.ceil(e.padX() - 0.5f) : (int) Math.ceil(e.padX() + e.padSide() - 0.5f) - 1;
                int iv = cv == 0 ? (int) Math.ceil(e.padY() - 0.5f) : (int) Math.ceil(e.padY() + e.padSide() - 0.5f) - 1;
                if (iu != cu || iv != cv) assertEquals(chw[iv * S + iu], chw[cv * S + cu], 0f);
            } else if (e.padX() > 1 || e.padY() > 1 || e.padX() + e.padSide() < S - 1 || e.padY() + e.padSide() < S - 1) {
                for (int c = 0; c < 3; c++) assertEquals(e.padGrey(), chw[c * S * S + cv * S + cu], 0f);
            }
        }
        assertTrue(replicated > 3 && replicated < 17, "replicate fills " + replicated);
    }

    @Test
    void blurAndErasingChangePixelsButNotTheMap() {
        float[] xy = new float[136];
        int[] px = image(xy);
        Affine toCrop = CropPolicy.PFLD.toCrop(new Box(55, 35, 90, 90), 0f);
        float[] plain = Warp.toChw(px, 200, 160, toCrop, S);

        CropEffects blurOnly = new CropEffects(new CropEffects.Settings(0, 0, 1f, 2f, 0, 0));
        CropEffects.Draw b = blurOnly.draw(S, new SplittableRandom(2));
        assertTrue(b.blurSigma() >= 0.5f && b.blurSigma() <= 2f);
        assertEquals(0, b.eraseW());
        assertSame(toCrop, CropEffects.shrink(toCrop, b, S), "blur must not move landmarks");
        float[] blurred = plain.clone();
        CropEffects.apply(blurred, S, b);
        assertTrue(variance(blurred) < 0.8 * variance(plain), "blur should smooth the noise");
        assertEquals(mean(plain), mean(blurred), 1.0, "blur keeps the mean brightness");

        CropEffects eraseOnly = new CropEffects(new CropEffects.Settings(0, 0, 0, 0, 1f, 0.2f));
        for (int k = 0; k < 10; k++) {
            CropEffects.Draw e = eraseOnly.draw(S, new SplittableRandom(10 + k));
            assertSame(toCrop, CropEffects.shrink(toCrop, e, S), "erasing must not move landmarks");
            float area = (float) e.eraseW() * e.eraseH() / (S * S);
            assertTrue(area > 0.015f && area < 0.23f, "area " + area);
            float[] erased = plain.clone();
            CropEffects.apply(erased, S, e);
            int changedInside = 0;
            for (int v = 0; v < S; v++)
                for (int u = 0; u < S; u++) {
                    boolean inside = u >= e.eraseX() && u < e.eraseX() + e.eraseW() && v >= e.eraseY() && v < e.eraseY() + e.eraseH();
                    boolean changed = erased[v * S + u] != plain[v * S + u];
                    if (!inside) assertFalse(changed, "pixel outside the rectangle changed");
                    else if (changed) changedInside++;
                }
            assertTrue(changedInside > 0.9 * e.eraseW() * e.eraseH(), "rectangle not erased");
            if (!e.eraseNoise()) assertEquals(e.eraseR(), erased[e.eraseY() * S + e.eraseX()], 0f);
        }
    }

    @Test
    void noEffectsLeaveTheCropAlone() {
        CropEffects none = new CropEffects(CropEffects.Settings.NONE);
        CropEffects.Draw d = none.draw(S, new SplittableRandom(1));
        float[] chw = new float[3 * S * S];
        for (int i = 0; i < chw.length; i++) chw[i] = i % 255;
        float[] copy = chw.clone();
        CropEffects.apply(chw, S, d);
        assertArrayEquals(copy, chw);
        assertSame(Affine.IDENTITY, CropEffects.shrink(Affine.IDENTITY, d, S));
    }

    private static double mean(float[] a) {
        double s = 0;
        for (float v : a) s += v;
        return s / a.length;
    }

    private static double variance(float[] a) {
        double m = mean(a), s = 0;
        for (float v : a) s += (v - m) * (v - m);
        return s / a.length;
    }
}

package dev.lightmark.augment;

import dev.lightmark.geometry.Box;
import dev.lightmark.image.Warp;
import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class AugmenterTest {
    /** Points and pixels must move together: a marked pixel is found under its landmark after any draw. */
    @Test
    void landmarksFollowThePixelsThroughRotationScaleAndFlip() {
        int w = 200, h = 160;
        int[] px = new int[w * h];
        float[] xy = new float[136];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 68; i++) {
            xy[2 * i] = 60 + r.nextInt(80) + 0.5f;
            xy[2 * i + 1] = 40 + r.nextInt(80) + 0.5f;
        }
        int mark = 36;      // a bright 5x5 block under point 36 only
        for (int dy = -2; dy <= 2; dy++)
            for (int dx = -2; dx <= 2; dx++)
                px[((int) xy[2 * mark + 1] + dy) * w + (int) xy[2 * mark] + dx] = 0xFFFFFF;
        Landmarks lm = new Landmarks(xy);
        Augmenter aug = new Augmenter(CropPolicy.PFLD, Augmenter.Settings.DEFAULT, LandmarkScheme.IBUG68);
        Box box = new Box(55, 35, 90, 90);
        int flips = 0;
        for (int k = 0; k < 20; k++) {
            Augmenter.Draw d = aug.draw(box, new SplittableRandom(k));
            float[] chw = Warp.toChw(px, w, h, d.toCrop(), 112);
            Landmarks out = aug.apply(lm, d);
            int at = d.flipped() ? LandmarkScheme.IBUG68.mirrorOf(mark) : mark;
            int u = (int) out.x(at), v = (int) out.y(at);
            assertTrue(chw[v * 112 + u] > 200, "draw " + k + ": no mark under the moved point");
            if (d.flipped()) flips++;
        }
        assertTrue(flips > 3 && flips < 17, "flips " + flips);
    }

    @Test
    void noAugmentationIsThePlainCrop() {
        Augmenter aug = new Augmenter(CropPolicy.PFLD, Augmenter.Settings.NONE, LandmarkScheme.IBUG68);
        Box box = new Box(10, 10, 100, 100);
        Augmenter.Draw d = aug.draw(box, new SplittableRandom(3));
        assertFalse(d.flipped());
        assertEquals(CropPolicy.PFLD.toCrop(box, 0f), d.toCrop());
    }

    @Test
    void mirroredCropsKeepTheAnnotationOffsetOnTheRight() {
        // A point annotated o px right of its content. A mirrored crop of the photo is an
        // unmirrored crop of the mirrored photo, whose annotation lies o px right of the mirrored
        // content: in the original photo's terms, o px left of the content, at p - (2 o, 0).
        float o = 1.5f;
        float[] xy = new float[136];
        for (int i = 0; i < 68; i++) {
            xy[2 * i] = 101.5f;
            xy[2 * i + 1] = 80.25f;
        }
        Landmarks p = new Landmarks(xy);
        Box box = new Box(50, 40, 100, 90);
        for (float offset : new float[]{o, 0f}) {
            Augmenter aug = new Augmenter(CropPolicy.PFLD, new Augmenter.Settings(0.05f, 0.1f, 30f, 1f, 0, 0, 0, offset), LandmarkScheme.IBUG68);
            for (int k = 0; k < 5; k++) {
                Augmenter.Draw d = aug.draw(box, new SplittableRandom(k));
                assertTrue(d.flipped());
                Landmarks got = aug.apply(p, d);
                float ex = d.toCrop().mapX(101.5f - 2 * offset, 80.25f), ey = d.toCrop().mapY(101.5f - 2 * offset, 80.25f);
                assertEquals(ex, got.x(0), 1e-3f, "draw " + k + ", offset " + offset);
                assertEquals(ey, got.y(0), 1e-3f, "draw " + k + ", offset " + offset);
            }
        }
        Augmenter plain = new Augmenter(CropPolicy.PFLD, new Augmenter.Settings(0, 0, 0, 0, 0, 0, 0, o), LandmarkScheme.IBUG68);
        Augmenter.Draw d = plain.draw(box, new SplittableRandom(1));
        assertEquals(p.transform(d.toCrop()), plain.apply(p, d), "unmirrored crops keep the annotations as they are");
    }
}

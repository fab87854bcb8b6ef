package dev.lightmark.eval;

import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NmeTest {
    /** 68 points on a grid, with outer eye corners 36 = (100, 200) and 45 = (200, 200): inter-ocular 100. */
    static float[] face68() {
        float[] xy = new float[136];
        for (int i = 0; i < 68; i++) {
            xy[2 * i] = 100 + (i % 10) * 10;
            xy[2 * i + 1] = 150 + (i / 10) * 10;
        }
        xy[72] = 100; xy[73] = 200;
        xy[90] = 200; xy[91] = 200;
        return xy;
    }

    @Test
    void identicalShapesHaveZeroNme() {
        Landmarks gt = new Landmarks(face68());
        for (Normalizer n : Normalizer.values())
            assertEquals(0.0, Nme.of(gt, gt, LandmarkScheme.IBUG68, n), 0.0, n.name());
    }

    @Test
    void uniformShiftGivesShiftOverInterOcular() {
        float[] gt = face68(), pred = face68();
        for (int i = 0; i < 68; i++) { pred[2 * i] += 3; pred[2 * i + 1] += 4; }
        // every point is 5 px off; inter-ocular is 100 px
        assertEquals(0.05, Nme.of(new Landmarks(pred), new Landmarks(gt), Normalizer.INTER_OCULAR), 1e-9);
    }

    @Test
    void onePointOffIsAveragedOverAllPoints() {
        float[] gt = face68(), pred = face68();
        pred[0] += 6; pred[1] += 8; // point 0 is 10 px off
        double expected = 10.0 / 68 / 100;
        assertEquals(expected, Nme.of(new Landmarks(pred), new Landmarks(gt), LandmarkScheme.IBUG68,
                Normalizer.INTER_OCULAR), 1e-12);
        assertEquals(10.0 / 68, Nme.meanError(new Landmarks(pred), new Landmarks(gt)), 1e-9);
    }

    @Test
    void interPupilUsesEyeCentroids() {
        float[] gt = face68();
        // left eye contour 36-41 centred on (120, 200), right eye 42-47 centred on (180, 200): 60 px apart
        float[][] offsets = {{-10, 0}, {-5, -4}, {5, -4}, {10, 0}, {5, 4}, {-5, 4}};
        for (int k = 0; k < 6; k++) {
            gt[2 * (36 + k)] = 120 + offsets[k][0];
            gt[2 * (36 + k) + 1] = 200 + offsets[k][1];
            gt[2 * (42 + k)] = 180 + offsets[k][0];
            gt[2 * (42 + k) + 1] = 200 + offsets[k][1];
        }
        Landmarks g = new Landmarks(gt);
        assertEquals(60.0, Normalizer.INTER_PUPIL.distance(g, LandmarkScheme.IBUG68), 1e-9);
        // outer corners 36 = (110, 200) and 45 = (190, 200)
        assertEquals(80.0, Normalizer.INTER_OCULAR.distance(g, LandmarkScheme.IBUG68), 1e-9);
        float[] pred = gt.clone();
        for (int i = 0; i < 68; i++) pred[2 * i] += 6;
        assertEquals(0.1, Nme.of(new Landmarks(pred), g, Normalizer.INTER_PUPIL), 1e-9);
    }

    @Test
    void boxNormaliserIsSqrtOfTightBoxArea() {
        // five points spanning 100 x 25: sqrt(2500) = 50
        Landmarks gt = new Landmarks(new float[]{0, 0, 100, 0, 50, 10, 20, 25, 80, 25});
        assertEquals(50.0, Normalizer.BOX.distance(gt), 1e-9);
        Landmarks pred = new Landmarks(new float[]{5, 0, 105, 0, 55, 10, 25, 25, 85, 25});
        assertEquals(0.1, Nme.of(pred, gt, Normalizer.BOX), 1e-9);
        // FIVE scheme inter-ocular: eye centres 0 and 1, 100 px apart
        assertEquals(0.05, Nme.of(pred, gt, LandmarkScheme.FIVE, Normalizer.INTER_OCULAR), 1e-9);
    }

    @Test
    void wflwUsesPoints60And72() {
        float[] xy = new float[196];
        xy[120] = 10; xy[121] = 10;
        xy[144] = 40; xy[145] = 50;
        assertEquals(50.0, Normalizer.INTER_OCULAR.distance(new Landmarks(xy), LandmarkScheme.WFLW98), 1e-9);
    }

    @Test
    void mismatchedPointCountsAreRejectedClearly() {
        Landmarks gt = new Landmarks(face68());
        Landmarks five = new Landmarks(new float[10]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Nme.of(five, gt, Normalizer.INTER_OCULAR));
        assertTrue(e.getMessage().contains("5") && e.getMessage().contains("68"), e.getMessage());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> Nme.of(gt, gt, LandmarkScheme.WFLW98, Normalizer.INTER_OCULAR));
        assertTrue(s.getMessage().contains("WFLW98"), s.getMessage());
    }

    @Test
    void degenerateNormaliserAndNonFinitePredictionAreRejected() {
        Landmarks zero = new Landmarks(new float[10]);
        assertThrows(IllegalArgumentException.class, () -> Nme.of(zero, zero, Normalizer.INTER_OCULAR));
        float[] gt = face68(), pred = face68();
        pred[5] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Nme.of(new Landmarks(pred), new Landmarks(gt), Normalizer.INTER_OCULAR));
        assertTrue(e.getMessage().contains("point 2"), e.getMessage());
    }
}

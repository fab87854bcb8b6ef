package dev.lightmark.track;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class OneEuroFilterTest {
    private static final double DT = 1 / 30.0;

    @Test
    void aConstantSignalStaysPut() {
        OneEuroFilter f = new OneEuroFilter(new OneEuroParams(1, 0.5, 1));
        for (int i = 0; i < 100; i++) assertEquals(42.5, f.filter(42.5, i * DT), 1e-12);
    }

    @Test
    void stepResponseConvergesWithoutOvershoot() {
        OneEuroFilter f = new OneEuroFilter(new OneEuroParams(1, 0, 1));
        for (int i = 0; i < 10; i++) f.filter(0, i * DT);
        double prev = 0, y = 0;
        for (int i = 10; i < 200; i++) {
            y = f.filter(10, i * DT);
            assertTrue(y >= prev - 1e-12 && y <= 10 + 1e-12, "monotone, no overshoot at " + i);
            prev = y;
        }
        assertEquals(10, y, 1e-3);
        // the first sample after the step moves by exactly alpha(minCutoff, dt) of the gap
        OneEuroFilter g = new OneEuroFilter(new OneEuroParams(1, 0, 1));
        g.filter(0, 0);
        assertEquals(10 * OneEuroFilter.alpha(1, DT), g.filter(10, DT), 1e-12);
    }

    @Test
    void speedRaisesTheCutoffSoFastMotionLagsLess() {
        double lagPlain = rampLag(new OneEuroParams(1, 0, 1));
        double lagAdaptive = rampLag(new OneEuroParams(1, 0.5, 1));
        assertTrue(lagAdaptive < 0.3 * lagPlain, lagAdaptive + " vs " + lagPlain);
    }

    private static double rampLag(OneEuroParams p) {
        OneEuroFilter f = new OneEuroFilter(p);
        double y = 0;
        for (int i = 0; i < 120; i++) y = f.filter(20 * i * DT, i * DT); // 20 units/s
        return 20 * 119 * DT - y;
    }

    @Test
    void moreSmoothingLeavesLessJitterOnANoisyConstant() {
        double none = jitter(null), light = jitter(new OneEuroParams(5, 0, 1)), heavy = jitter(new OneEuroParams(0.5, 0, 1));
        assertTrue(light < 0.7 * none, light + " vs " + none);
        assertTrue(heavy < 0.5 * light, heavy + " vs " + light);
    }

    /** Mean absolute frame-to-frame change of a filtered noisy constant. */
    private static double jitter(OneEuroParams p) {
        Random r = new Random(7);
        OneEuroFilter f = p == null ? null : new OneEuroFilter(p);
        double prev = Double.NaN, sum = 0;
        int n = 0;
        for (int i = 0; i < 600; i++) {
            double v = 5 + r.nextGaussian();
            double y = f == null ? v : f.filter(v, i * DT);
            if (i > 30) { sum += Math.abs(y - prev); n++; }
            prev = y;
        }
        return sum / n;
    }

    @Test
    void speedScaleMakesTheFilterResolutionFree() {
        // The same motion at 4x the size with speedScale 4x gives 4x the output.
        OneEuroParams p = new OneEuroParams(1, 2, 1);
        OneEuroFilter small = new OneEuroFilter(p), large = new OneEuroFilter(p);
        Random r = new Random(3);
        double v = 0;
        for (int i = 0; i < 100; i++) {
            v += r.nextGaussian();
            assertEquals(4 * small.filter(v, i * DT, 10), large.filter(4 * v, i * DT, 40), 1e-9);
        }
    }

    @Test
    void repeatedTimestampsAndResetAreHandled() {
        OneEuroFilter f = new OneEuroFilter(new OneEuroParams(1, 0, 1));
        f.filter(1, 0);
        assertEquals(1, f.filter(100, 0), 1e-12);
        f.reset();
        assertEquals(7, f.filter(7, 5), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new OneEuroParams(0, 1, 1));
    }
}

package dev.lightmark.model.cascade;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class PatchSamplerTest {
    /** One 3-channel 8x8 crop whose value in channel c at (x, y) is 100c + 10y + x. */
    private static float[] ramp(int s) {
        float[] img = new float[3 * s * s];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < s; y++)
                for (int x = 0; x < s; x++) img[c * s * s + y * s + x] = 100 * c + 10 * y + x;
        return img;
    }

    @Test
    void aPatchCentredBetweenPixelsReadsThemExactly() {
        int s = 8, p = 2;
        float[][] pyr = PatchSampler.pyramid(ramp(s), 1, s, 1);
        // Centre at crop point (4, 4) pixels = 0.5 crop units: a 2x2 patch covers pixels 3..4.
        float[] out = PatchSampler.sample(pyr, s, new int[]{0}, shape(0.5f, 0.5f), new int[]{0}, p);
        assertArrayEquals(new float[]{33, 34, 43, 44, 133, 134, 143, 144, 233, 234, 243, 244}, out, 1e-5f);
    }

    @Test
    void aSubPixelCentreInterpolatesBilinearly() {
        int s = 8, p = 2;
        float[][] pyr = PatchSampler.pyramid(ramp(s), 1, s, 1);
        // A quarter pixel right and half a pixel down: the ramp is linear, so values shift by 0.25 + 5.
        float[] out = PatchSampler.sample(pyr, s, new int[]{0}, shape(4.25f / s, 4.5f / s), new int[]{0}, p);
        assertEquals(33 + 0.25f + 5f, out[0], 1e-4f);
        assertEquals(44 + 0.25f + 5f, out[3], 1e-4f);
    }

    @Test
    void outsideTheCropReadsZero() {
        int s = 8, p = 2;
        float[][] pyr = PatchSampler.pyramid(ramp(s), 1, s, 1);
        float[] out = PatchSampler.sample(pyr, s, new int[]{0}, shape(0f, 0f), new int[]{0}, p);
        // Centre at the corner: only the bottom-right sample (pixel 0, 0) is inside; channel 1 holds 100 there.
        assertArrayEquals(new float[]{0, 0, 0, 100}, java.util.Arrays.copyOfRange(out, 4, 8), 1e-6f);
        float[] inside = PatchSampler.sample(pyr, s, new int[]{0}, shape(1f / s, 1f / s), new int[]{0}, p);
        assertEquals(11f, inside[3], 1e-6f);
    }

    @Test
    void coarserLevelsAverageTwoByTwoAndStackAsChannels() {
        int s = 8, p = 2;
        float[][] pyr = PatchSampler.pyramid(ramp(s), 1, s, 2);
        assertEquals(3 * 4 * 4, pyr[1].length);
        assertEquals((0 + 1 + 10 + 11) / 4f, pyr[1][0], 1e-6f);
        float[] out = PatchSampler.sample(pyr, s, new int[]{0}, shape(0.5f, 0.5f), new int[]{0}, p);
        assertEquals(2 * 3 * p * p, out.length);
        // Level 1 (4x4): centre (2, 2) covers its pixels 1..2, i.e. level-0 blocks starting at 2..5.
        assertEquals(pyr[1][1 * 4 + 1], out[12], 1e-6f);
        assertEquals((22 + 23 + 32 + 33) / 4f, out[12], 1e-6f);
    }

    @Test
    void facesAndPointsAreLaidOutInOrder() {
        int s = 8, p = 1;
        float[] two = new float[2 * 3 * s * s];
        System.arraycopy(ramp(s), 0, two, 0, 3 * s * s);
        float[] second = ramp(s);
        for (int i = 0; i < second.length; i++) second[i] += 1000;
        System.arraycopy(second, 0, two, 3 * s * s, second.length);
        float[][] pyr = PatchSampler.pyramid(two, 2, s, 1);
        // Face 1 only, points 1 and 0 of a two-point shape.
        float[] shapes = {2.5f / s, 0.5f / s, 5.5f / s, 7.5f / s};
        float[] out = PatchSampler.sample(pyr, s, new int[]{1}, shapes, new int[]{1, 0}, p);
        assertArrayEquals(new float[]{1075, 1175, 1275, 1002, 1102, 1202}, out, 1e-4f);
    }

    private static float[] shape(float x, float y) { return new float[]{x, y}; }
}

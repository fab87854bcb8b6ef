package dev.lightmark.landmarks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class LandmarkSchemeTest {
    @Test
    void mirrorIsAnInvolutionForEveryScheme() {
        for (LandmarkScheme s : LandmarkScheme.values())
            for (int i = 0; i < s.size(); i++)
                assertEquals(i, s.mirrorOf(s.mirrorOf(i)), s + " point " + i);
    }

    @Test
    void ibugPairsSwapSidesOfTheFace() {
        LandmarkScheme s = LandmarkScheme.IBUG68;
        assertEquals(16, s.mirrorOf(0));
        assertEquals(45, s.mirrorOf(36));
        assertEquals(54, s.mirrorOf(48));
        assertEquals(30, s.mirrorOf(30));   // nose tip stays
        assertEquals(66, s.mirrorOf(66));
        assertEquals(72, LandmarkScheme.WFLW98.mirrorOf(60));
        assertEquals(97, LandmarkScheme.WFLW98.mirrorOf(96));
    }

    @Test
    void forSizeNamesTheUnknownCount() {
        assertEquals(LandmarkScheme.FIVE, LandmarkScheme.forSize(5));
        var e = assertThrows(IllegalArgumentException.class, () -> LandmarkScheme.forSize(7));
        assertTrue(e.getMessage().contains("7"));
    }

    @Test
    void mirroringTwiceRestoresTheShape() {
        float[] xy = new float[136];
        for (int i = 0; i < xy.length; i++) xy[i] = i * 1.5f;
        Landmarks l = new Landmarks(xy);
        assertEquals(l, l.mirrorOrder(LandmarkScheme.IBUG68).mirrorOrder(LandmarkScheme.IBUG68));
    }

    @Test
    void interOcularUsesOuterEyeCorners() {
        float[] xy = new float[136];
        xy[2 * 36] = 10; xy[2 * 36 + 1] = 20;
        xy[2 * 45] = 40; xy[2 * 45 + 1] = 60;
        assertEquals(50f, new Landmarks(xy).interOcular(LandmarkScheme.IBUG68), 1e-4);
    }
}

package dev.lightmark.infer;

import dev.lightmark.geometry.Box;
import dev.lightmark.landmarks.Landmarks;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Issue 14: landmark outputs far outside the crop are flagged, not served as normal. */
class OutputCheckTest {
    private static final Box CROP = new Box(100, 100, 200, 200);

    private static Landmarks points(float... xy) { return new Landmarks(xy); }

    @Test
    void pointsInsideOrNearTheCropAreFine() {
        assertNull(OutputCheck.problem(CROP, points(150, 150, 250, 260, 110, 290)));
        assertNull(OutputCheck.problem(CROP, points(20, 390)), "a face cut by the crop edge: up to half a crop outside");
        assertNull(OutputCheck.problem(CROP, null));
    }

    @Test
    void pointsFarOutsideOrNotNumbersAreFlagged() {
        String w = OutputCheck.problem(CROP, points(150, 150, 1300, 150, 150, -500));
        assertNotNull(w);
        assertTrue(w.startsWith("2 of 3 points"), w);
        assertNotNull(OutputCheck.problem(CROP, points(Float.NaN, 150)));
        assertNotNull(OutputCheck.problem(CROP, points(150, Float.POSITIVE_INFINITY)));
    }

    @Test
    void aFlaggedResultSaysSo() {
        FaceResult ok = new FaceResult(CROP, 0.9f, CROP, points(150, 150));
        assertFalse(ok.suspect());
        assertTrue(new FaceResult(CROP, 0.9f, CROP, points(9999, 150), null, "far outside").suspect());
    }
}

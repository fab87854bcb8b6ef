package dev.lightmark.pose;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class HeadPoseTest {
    private static final double DEG = Math.PI / 180;

    @Test
    void recoversTheRotationOfTheModelFace() {
        float[][] poses = {{0, 0, 0}, {25, 0, 0}, {0, 15, 0}, {0, 0, 20}, {-30, 10, -15}};
        for (float[] p : poses) {
            float[] est = HeadPose.estimate(HeadPose.render((float) (p[0] * DEG), (float) (p[1] * DEG), (float) (p[2] * DEG), 2f, 100, 100));
            for (int k = 0; k < 3; k++)
                assertEquals(p[k], est[k] / DEG, 1.0, "angle " + k + " of pose " + java.util.Arrays.toString(p));
        }
    }

    @Test
    void needsSixtyEightPoints() {
        assertThrows(IllegalArgumentException.class, () -> HeadPose.estimate(new dev.lightmark.landmarks.Landmarks(new float[10])));
    }
}

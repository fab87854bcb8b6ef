package dev.lightmark.quality;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TrustPolicyTest {
    static FaceQuality q(double nme) { return new FaceQuality(nme, new float[]{0.5f}, FacePose.FRONTAL, false); }

    @Test
    void marksAndDropsFacesAboveTheLimit() {
        TrustPolicy flag = new TrustPolicy(0.08, false), drop = new TrustPolicy(0.08, true);
        assertTrue(flag.mark(q(0.09)).doubtful());
        assertFalse(flag.mark(q(0.07)).doubtful());
        assertTrue(flag.keep(q(0.5)));
        assertFalse(drop.keep(q(0.09)));
        assertTrue(drop.keep(q(0.07)));
        assertEquals(0.10, TrustPolicy.DEFAULT.maxPredictedNme());
        assertThrows(IllegalArgumentException.class, () -> new TrustPolicy(0, false));
    }

    @Test
    void qualityValuesMustBeInRange() {
        assertThrows(IllegalArgumentException.class, () -> q(1.5));
        assertThrows(IllegalArgumentException.class, () -> q(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new FaceQuality(0.05, new float[]{1.2f}, FacePose.FRONTAL, false));
    }
}

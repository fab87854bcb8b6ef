package dev.lightmark.infer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BundledNetworksTest {
    @Test
    void modelsThatShareAFileShareItsSessionAndOutliveTheirPredictors() throws Exception {
        float[] input = new float[3 * 128 * 128];
        java.util.Arrays.fill(input, 0.2f);
        float[] alone;
        try (LandmarkPredictor p = LandmarkPredictor.bundled("default", 1)) {
            alone = p.forward(input, 1);
        }
        BundledNetworks shared = new BundledNetworks(1);
        LandmarkPredictor def = LandmarkPredictor.bundled("default", shared);
        LandmarkPredictor accurate = LandmarkPredictor.bundled("accurate", shared);
        LandmarkPredictor again = LandmarkPredictor.bundled("default", shared);
        assertEquals(List.of(BundledModels.HOURGLASS, BundledModels.HOURGLASS_96_CHANNELS, BundledModels.HOURGLASS_YTF68_300W),
                shared.openResources(), "each file opened once: the default's for both predictors that name it, then accurate's two");
        assertEquals("ensemble", accurate.spec().architecture);
        def.close();
        accurate.close();
        // The borrowed session is still open for the others after two predictors closed.
        assertArrayEquals(alone, again.forward(input, 1), 0f);
        again.close();
        shared.close();
        assertThrows(IllegalStateException.class, () -> LandmarkPredictor.bundled("default", shared));
    }
}

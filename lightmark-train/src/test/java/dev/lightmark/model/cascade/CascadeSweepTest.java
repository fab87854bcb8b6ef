package dev.lightmark.model.cascade;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CascadeSweepTest {
    /** Two faces, three stages, 1 ms per stage and no crop time. */
    private static CascadeSweep.Sweep sweep() {
        long ms = 1_000_000;
        return new CascadeSweep.Sweep(List.of(
                new CascadeSweep.Face("a", new double[]{0.10, 0.05, 0.04}, new float[]{0.2f, 0.03f, 0.03f}, new long[]{ms, ms, ms}, 0),
                new CascadeSweep.Face("b", new double[]{0.08, 0.06, 0.03}, new float[]{0.02f, 0.05f, 0.04f}, new long[]{ms, ms, ms}, 0)),
                2, 2, 1000);
    }

    @Test
    void aFaceStopsAtTheFirstStageBelowTheThreshold() {
        assertEquals(2, CascadeSweep.exitStage(new float[]{0.2f, 0.03f, 0.03f}, 3, 0.05));
        assertEquals(3, CascadeSweep.exitStage(new float[]{0.2f, 0.03f, 0.03f}, 3, 0.01));
        assertEquals(3, CascadeSweep.exitStage(new float[]{0.2f, 0.03f, 0.03f}, 3, 0));
        assertEquals(1, CascadeSweep.exitStage(new float[]{0.2f, 0.03f, 0.03f}, 1, 0.01));
    }

    @Test
    void policiesAreScoredFromTheStagesTheyRun() {
        CascadeSweep.Row two = CascadeSweep.score(sweep(), 2, 0);
        assertEquals(0.055, two.nme(), 1e-12);
        assertEquals(2.0, two.meanStages(), 1e-12);
        assertEquals(2000, two.multAdds(), 1e-9);
        assertEquals(2.0, two.msPerFace(), 1e-9);
        CascadeSweep.Row exit = CascadeSweep.score(sweep(), 3, 0.035);
        assertEquals((0.05 + 0.08) / 2, exit.nme(), 1e-12);   // a stops after stage 2, b after stage 1
        assertEquals(1.5, exit.meanStages(), 1e-12);
        assertEquals(1500, exit.multAdds(), 1e-9);
    }

    @Test
    void theChosenThresholdRunsFewestStagesWithinTheTolerance() {
        assertEquals(0, CascadeSweep.chooseThreshold(sweep(), 3, 0.0));   // any exit costs accuracy here
        double t = CascadeSweep.chooseThreshold(sweep(), 3, 1.0);
        assertEquals(Math.nextUp((double) 0.03f), t);
        assertEquals(1.5, CascadeSweep.score(sweep(), 3, t).meanStages(), 1e-12);
    }
}

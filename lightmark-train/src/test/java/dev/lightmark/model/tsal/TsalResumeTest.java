package dev.lightmark.model.tsal;

import dev.lightmark.testdata.SyntheticFaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.lightmark.testdata.TinyTraining.QUIET;
import static dev.lightmark.testdata.TinyTraining.killAndResume;
import static dev.lightmark.model.tsal.TsalTrainerTest.pool;
import static dev.lightmark.model.tsal.TsalTrainerTest.tiny;

class TsalResumeTest {
    @TempDir Path dir;

    /** A semi-supervised run killed mid-epoch and resumed ends with the same weights as one never interrupted. */
    @Test
    void resumeAfterAKillLosesNothing() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 10, 96, 3);
        Path frames = SyntheticFaces.write(dir.resolve("frames"), 4, 96, 4);
        TsalConfig c = tiny(data);
        c.epochs = 1;
        c.semiFromEpoch = 0;                 // one semi-supervised epoch of 2 steps
        c.checkpointEverySteps = 1;
        killAndResume(dir, 1, (out, kill) -> {   // killed after step 1 of 2
            TsalTrainer t = new TsalTrainer(c, out, QUIET);
            t.poolOverride = pool(frames);
            t.simulatedKillAfterSteps = kill;
            t.run();
        });
    }
}

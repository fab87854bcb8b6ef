package dev.lightmark.tsal;

import dev.lightmark.io.SectionFile;
import dev.lightmark.testdata.SyntheticFaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

import static dev.lightmark.tsal.TsalTrainerTest.pool;
import static dev.lightmark.tsal.TsalTrainerTest.tiny;
import static org.junit.jupiter.api.Assertions.*;

class TsalResumeTest {
    @TempDir Path dir;

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    /** A semi-supervised run killed mid-epoch and resumed ends with the same weights as one never interrupted. */
    @Test
    void resumeAfterAKillLosesNothing() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 10, 96, 3);
        Path frames = SyntheticFaces.write(dir.resolve("frames"), 4, 96, 4);
        TsalConfig c = tiny(data);
        c.epochs = 1;
        c.semiFromEpoch = 0;                 // one semi-supervised epoch of 2 steps
        c.checkpointEverySteps = 1;
        Path straight = dir.resolve("straight");
        TsalTrainer a = new TsalTrainer(c, straight, QUIET);
        a.poolOverride = pool(frames);
        a.run();

        Path killed = dir.resolve("killed");
        TsalTrainer first = new TsalTrainer(c, killed, QUIET);
        first.poolOverride = pool(frames);
        first.simulatedKillAfterSteps = 1;   // after step 1 of 2
        assertThrows(IllegalStateException.class, first::run);
        TsalTrainer second = new TsalTrainer(c, killed, QUIET);
        second.poolOverride = pool(frames);
        second.run();
        assertArrayEquals(SectionFile.read(straight.resolve("last.lmk")).get("weights"),
                SectionFile.read(killed.resolve("last.lmk")).get("weights"), "resumed weights differ");
    }

}

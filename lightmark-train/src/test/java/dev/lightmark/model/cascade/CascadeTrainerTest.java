package dev.lightmark.model.cascade;

import dev.lightmark.testdata.SyntheticFaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.lightmark.testdata.TinyTraining.*;
import static org.junit.jupiter.api.Assertions.*;

class CascadeTrainerTest {
    @TempDir Path dir;

    /** A cascade small enough to train in seconds: 64 px crops, 8 px patches, one convolution. */
    static CascadeConfig tiny(Path data) {
        CascadeConfig c = on(data, new CascadeConfig());
        c.inputSize = 64;
        c.learningRate = 3e-3f;
        c.rotationDeg = 10f;
        c.model.stages = 2;
        c.model.patchSize = 8;
        c.model.patches = "half";
        c.model.channels = new int[]{8};
        c.model.embedding = 16;
        return c;
    }

    @Test
    void trainingReducesTheLossAndWritesItsFiles() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 40, 96, 1);
        CascadeConfig c = tiny(data);
        c.epochs = 8;
        Path out = dir.resolve("run");
        CascadeTrainer.Result r = new CascadeTrainer(c, out, QUIET).run();
        assertTrue(r.lastEpochLoss() < 0.7 * r.firstEpochLoss(), "loss " + r.firstEpochLoss() + " -> " + r.lastEpochLoss());
        for (String f : new String[]{"config.json", "log.csv", "checkpoint.lmk", "best.lmk", "last.lmk", "val-faces.txt"})
            assertTrue(Files.exists(out.resolve(f)), f);
        assertEquals(9, Files.readAllLines(out.resolve("log.csv")).size());
        assertEquals(8, Files.readAllLines(out.resolve("val-faces.txt")).size());
    }

    /** A run killed mid-epoch and resumed ends with the same weights as one never interrupted. */
    @Test
    void resumeAfterAKillLosesNothing() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 20, 80, 3);
        CascadeConfig c = tiny(data);
        c.epochs = 2;
        c.checkpointEverySteps = 1;
        Resumed r = killAndResume(dir, 3, (out, kill) -> {   // killed in epoch 2, step 1 of 2
            CascadeTrainer t = new CascadeTrainer(c, out, QUIET);
            t.simulatedKillAfterSteps = kill;
            t.run();
        });
        assertSameLogButTimes(r.straight(), r.killed());
    }

    @Test
    void aDifferentConfigCannotResumeARun() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 10, 64, 4);
        CascadeConfig c = tiny(data);
        c.epochs = 1;
        Path out = dir.resolve("run");
        new CascadeTrainer(c, out, QUIET).run();
        c.model.stages = 3;
        assertRefusedAsAnotherConfig(() -> new CascadeTrainer(c, out, QUIET).run());
    }
}

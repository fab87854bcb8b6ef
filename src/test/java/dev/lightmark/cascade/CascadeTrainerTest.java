package dev.lightmark.cascade;

import dev.lightmark.io.SectionFile;
import dev.lightmark.testdata.SyntheticFaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CascadeTrainerTest {
    @TempDir Path dir;

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    /** A cascade small enough to train in seconds: 64 px crops, 8 px patches, one convolution. */
    static CascadeConfig tiny(Path data) {
        CascadeConfig c = new CascadeConfig();
        c.trainDir = data.toString();
        c.valFraction = 0.2f;
        c.inputSize = 64;
        c.batchSize = 8;
        c.threads = 1;
        c.warmupEpochs = 0;
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
        CascadeTrainer.Result r = new CascadeTrainer(c, out, System.out).run();
        assertTrue(r.lastEpochLoss() < 0.7 * r.firstEpochLoss(), "loss " + r.firstEpochLoss() + " -> " + r.lastEpochLoss());
        for (String f : new String[]{"config.json", "log.csv", "checkpoint.lmk", "best.lmk", "last.lmk", "val-faces.txt"})
            assertTrue(Files.exists(out.resolve(f)), f);
        assertEquals(9, Files.readAllLines(out.resolve("log.csv")).size());
        assertEquals(8, Files.readAllLines(out.resolve("val-faces.txt")).size());
    }
}

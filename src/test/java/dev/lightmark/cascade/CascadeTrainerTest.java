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
        Path straight = dir.resolve("straight");
        new CascadeTrainer(c, straight, QUIET).run();

        Path killed = dir.resolve("killed");
        CascadeTrainer first = new CascadeTrainer(c, killed, QUIET);
        first.simulatedKillAfterSteps = 3;   // epoch 2, step 1 of 2
        assertThrows(IllegalStateException.class, first::run);
        new CascadeTrainer(c, killed, QUIET).run();

        assertArrayEquals(SectionFile.read(straight.resolve("last.lmk")).get("weights"),
                SectionFile.read(killed.resolve("last.lmk")).get("weights"), "resumed weights differ");
        List<String> a = Files.readAllLines(straight.resolve("log.csv")), b = Files.readAllLines(killed.resolve("log.csv"));
        assertEquals(a.size(), b.size());
        for (int i = 1; i < a.size(); i++)   // same numbers; only the seconds column differs
            assertEquals(a.get(i).substring(0, a.get(i).lastIndexOf(',')), b.get(i).substring(0, b.get(i).lastIndexOf(',')));
    }

    @Test
    void aDifferentConfigCannotResumeARun() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 10, 64, 4);
        CascadeConfig c = tiny(data);
        c.epochs = 1;
        Path out = dir.resolve("run");
        new CascadeTrainer(c, out, QUIET).run();
        c.model.stages = 3;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new CascadeTrainer(c, out, QUIET).run());
        assertTrue(e.getMessage().contains("another config"));
    }
}

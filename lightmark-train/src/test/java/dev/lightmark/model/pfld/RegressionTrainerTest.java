package dev.lightmark.model.pfld;

import dev.lightmark.testdata.SyntheticFaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.lightmark.testdata.TinyTraining.*;
import static org.junit.jupiter.api.Assertions.*;

class RegressionTrainerTest {
    @TempDir Path dir;

    private TrainConfig tiny(Path data) {
        TrainConfig c = on(data, new TrainConfig());
        c.width = 0.25f;
        c.learningRate = 3e-3f;
        return c;
    }

    @Test
    void trainingReducesTheLossAndWritesItsFiles() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 40, 96, 1);
        TrainConfig c = tiny(data);
        c.epochs = 8;
        Path out = dir.resolve("run");
        RegressionTrainer.Result r = new RegressionTrainer(c, out, QUIET).run();
        assertTrue(r.lastEpochLoss() < 0.8 * r.firstEpochLoss(),
                "loss " + r.firstEpochLoss() + " -> " + r.lastEpochLoss());
        for (String f : new String[]{"config.json", "log.csv", "checkpoint.lmk", "best.lmk", "last.lmk"})
            assertTrue(Files.exists(out.resolve(f)), f);
        assertEquals(9, Files.readAllLines(out.resolve("log.csv")).size());
    }

    /** Pseudo-labelled (or other extra) faces join the training side only; validation stays on trainDir. */
    @Test
    void extraFoldersAreLearntFromButNeverValidatedOn() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 20, 96, 4);
        Path pseudo = SyntheticFaces.write(dir.resolve("pseudo"), 20, 96, 5);
        TrainConfig c = tiny(data);
        c.epochs = 6;
        c.extraTrainDirs = java.util.List.of(pseudo.toString());
        Path out = dir.resolve("extra");
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        RegressionTrainer.Result r = new RegressionTrainer(c, out, new java.io.PrintStream(log, true)).run();
        assertTrue(r.lastEpochLoss() < 0.8 * r.firstEpochLoss(), "loss " + r.firstEpochLoss() + " -> " + r.lastEpochLoss());
        String text = log.toString();
        assertTrue(text.contains("extra training faces: 20 from " + pseudo), text);
        int val = Files.readAllLines(out.resolve("val-faces.txt")).size();
        assertTrue(text.contains("train " + (40 - val) + " faces, validation " + val + " faces"), text);
        for (String name : Files.readAllLines(out.resolve("val-faces.txt")))
            assertTrue(Files.exists(data.resolve(name + ".pts")), "validation face " + name + " is not from trainDir");
    }

    @Test
    void anExtraFolderHoldingAValidationFaceIsRefused() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 20, 96, 4);
        Path out = Files.createDirectories(dir.resolve("leak"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dev.lightmark.train.TrainingRun.split(
                data.toString(), java.util.List.of(data.toString()), 68, 0, 0.2f, 7, out, QUIET));
        assertTrue(e.getMessage().contains("validation face"), e.getMessage());
        // The same folder less its validation faces is allowed: the training faces twice.
        java.util.Set<String> val = new java.util.HashSet<>(Files.readAllLines(out.resolve("val-faces.txt")));
        java.util.List<String> rest = new java.util.ArrayList<>();
        try (var files = Files.list(data)) {
            files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".pts"))
                    .map(n -> n.substring(0, n.length() - 4)).filter(n -> !val.contains(n)).forEach(rest::add);
        }
        Path list = Files.write(dir.resolve("fit.txt"), rest);
        assertEquals(2 * rest.size(), dev.lightmark.train.TrainingRun.split(data.toString(), java.util.List.of(data + "@" + list),
                68, 0, 0.2f, 7, out, QUIET).train().size());
    }

    /** trainRepeats: trainDir's training faces n times (never its validation faces), each image decoded once. */
    @Test
    void trainRepeatsRepeatsTheTrainingFacesOnlyAndSharesTheirImages() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 20, 96, 4);
        Path pseudo = SyntheticFaces.write(dir.resolve("pseudo"), 5, 96, 5);
        TrainConfig c = tiny(data);
        c.valFraction = 0.2f;
        c.trainRepeats = 3;
        c.extraTrainDirs = java.util.List.of(pseudo.toString());
        Path out = Files.createDirectories(dir.resolve("repeats"));
        dev.lightmark.train.TrainingRun.Split s = dev.lightmark.train.TrainingRun.split(c, 68, out, QUIET);
        assertEquals(4, s.val().size());
        assertEquals(3 * 16 + 5, s.train().size());
        java.util.Set<String> val = new java.util.HashSet<>();
        s.val().faces().forEach(f -> val.add(f.sample().image().toString()));
        assertEquals(4, val.size());
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        java.util.Map<String, int[]> pixels = new java.util.HashMap<>();
        for (dev.lightmark.train.FaceBank.Face f : s.train().faces()) {
            String key = f.sample().image().toString();
            assertFalse(val.contains(key), "validation face " + key + " is trained on");
            seen.merge(key, 1, Integer::sum);
            assertSame(pixels.computeIfAbsent(key, k -> f.pixels()), f.pixels(), "decoded twice: " + key);
        }
        seen.forEach((k, n) -> assertEquals(k.contains("pseudo") ? 1 : 3, n, k));
        // At 1 the field stays out of the saved config (older run folders resume); other values are kept.
        assertEquals(3, new com.fasterxml.jackson.databind.ObjectMapper().readTree(c.toJson()).path("trainRepeats").asInt(), c.toJson());
        c.trainRepeats = 1;
        assertFalse(c.toJson().contains("trainRepeats"), c.toJson());
        c.trainRepeats = 0;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::validate);
        assertTrue(e.getMessage().contains("trainRepeats"), e.getMessage());
    }

    /** valSeed keeps one validation split across runs of other seeds; without it the seed moves the split. */
    @Test
    void valSeedKeepsTheValidationFacesWhileTheSeedChanges() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 40, 96, 4);
        java.util.function.Function<TrainConfig, java.util.List<String>> val = c -> {
            try {
                Path out = Files.createTempDirectory(dir, "split");
                dev.lightmark.train.TrainingRun.split(c, 68, out, QUIET);
                return Files.readAllLines(out.resolve("val-faces.txt"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        TrainConfig a = tiny(data), b = tiny(data), c = tiny(data);
        a.valFraction = b.valFraction = c.valFraction = 0.25f;
        a.seed = 42;
        b.seed = 7;
        b.valSeed = 42L;
        c.seed = 7;
        assertEquals(val.apply(a), val.apply(b));
        assertNotEquals(val.apply(a), val.apply(c));
        assertFalse(a.toJson().contains("valSeed"), a.toJson());
        assertTrue(b.toJson().contains("valSeed"), b.toJson());
    }

    @Test
    void theTrainingLossWithPoseWeightingAlsoFalls() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 40, 96, 2);
        TrainConfig c = tiny(data);
        c.epochs = 5;
        c.poseWeighting = true;
        RegressionTrainer.Result r = new RegressionTrainer(c, dir.resolve("pose"), QUIET).run();
        assertTrue(r.lastEpochLoss() < r.firstEpochLoss(), "loss " + r.firstEpochLoss() + " -> " + r.lastEpochLoss());
    }

    /** A run killed mid-epoch and resumed ends with the same weights as a run never interrupted. */
    @Test
    void resumeAfterAKillLosesNothing() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 24, 80, 3);
        TrainConfig c = tiny(data);
        c.epochs = 2;
        c.checkpointEverySteps = 1;
        Resumed r = killAndResume(dir, 4, (out, kill) -> {   // killed in epoch 2, step 2 of 3
            RegressionTrainer t = new RegressionTrainer(c, out, QUIET);
            t.simulatedKillAfterSteps = kill;
            t.run();
        });
        assertSameLogButTimes(r.straight(), r.killed());
    }

    /** A fine-tune (initFrom) killed and resumed takes its checkpoint, not the initial weights again. */
    @Test
    void aKilledFineTuneResumesToTheSameWeights() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 12, 64, 3);
        TrainConfig a = tiny(data);
        a.epochs = 1;
        new RegressionTrainer(a, dir.resolve("start"), QUIET).run();
        TrainConfig c = tiny(data);
        c.epochs = 2;
        c.checkpointEverySteps = 1;
        c.initFrom = dir.resolve("start/best.lmk").toString();
        Resumed r = killAndResume(dir.resolve("ft"), 4, (out, kill) -> {
            RegressionTrainer t = new RegressionTrainer(c, out, QUIET);
            t.simulatedKillAfterSteps = kill;
            t.run();
        });
        assertSameLogButTimes(r.straight(), r.killed());
    }

    @Test
    void aDifferentConfigCannotResumeSomeoneElsesRun() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 12, 64, 4);
        TrainConfig c = tiny(data);
        c.epochs = 1;
        Path out = dir.resolve("run");
        new RegressionTrainer(c, out, QUIET).run();
        c.learningRate = 1e-4f;
        assertRefusedAsAnotherConfig(() -> new RegressionTrainer(c, out, QUIET).run());
    }

    @Test
    void learningRateWarmsUpThenDecays() {
        TrainConfig c = new TrainConfig();
        c.epochs = 10;
        c.warmupEpochs = 1;
        RegressionTrainer t = new RegressionTrainer(c, dir, QUIET);
        assertTrue(t.learningRate(0, 0, 10) < t.learningRate(0, 9, 10));
        assertEquals(c.learningRate, t.learningRate(1, 0, 10), 1e-6);
        assertTrue(t.learningRate(9, 9, 10) < 0.02f * c.learningRate);
    }
}

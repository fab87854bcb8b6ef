package dev.lightmark.model.pfld;

import dev.lightmark.testdata.SyntheticFaces;
import dev.lightmark.testdata.TinyTraining;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** KD-Loss end to end on tiny synthetic data: a soft-target EfficientNet teacher, then a student taught by it. */
class KdTrainingTest {
    @TempDir Path dir;

    private TrainConfig tiny(Path data) {
        TrainConfig c = TinyTraining.on(data, new TrainConfig());
        c.learningRate = 3e-3f;
        c.poseWeighting = false;
        c.softVariance = 0.9f;
        return c;
    }

    @Test
    void aSoftTargetTeacherAndAStudentTaughtByItBothReduceTheirLoss() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 32, 96, 5);
        TrainConfig t = tiny(data);
        t.architecture = "efficientnet";
        t.width = 0.25f;
        t.depth = 0.25f;
        t.targets = "soft";
        t.epochs = 6;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RegressionTrainer.Result tr = new RegressionTrainer(t, dir.resolve("teacher"), new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        assertTrue(tr.lastEpochLoss() < tr.firstEpochLoss(), "teacher loss " + tr.firstEpochLoss() + " -> " + tr.lastEpochLoss());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("soft targets: ASM with"), log.toString(StandardCharsets.UTF_8));
        assertTrue(Files.exists(dir.resolve("teacher/asm.json")));

        TrainConfig s = tiny(data);
        s.epochs = 6;
        s.toughTeacher = dir.resolve("teacher/best.lmk").toString();
        s.landmarkLoss = "wing";
        RegressionTrainer.Result sr = new RegressionTrainer(s, dir.resolve("student"), new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        assertTrue(sr.lastEpochLoss() < sr.firstEpochLoss(), "student loss " + sr.firstEpochLoss() + " -> " + sr.lastEpochLoss());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("tough teacher:"));
    }

    /**
     * A teacher of another architecture and input size: a 128 px hourglass, trained on soft
     * targets as a Tolerant teacher is, teaches the 112 px student.
     */
    @Test
    void anHourglassTeacherAtItsOwnInputSizeTeachesAStudent() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 32, 96, 6);
        dev.lightmark.model.hourglass.HeatmapConfig h = TinyTraining.on(data, new dev.lightmark.model.hourglass.HeatmapConfig());
        h.inputSize = 128;
        h.stacks = 1;
        h.depth = 2;
        h.channels = 16;
        h.epochs = 2;
        h.learningRate = 1e-3f;
        h.targets = "soft";
        h.softVariance = 0.9f;
        new dev.lightmark.model.hourglass.HeatmapTrainer(h, dir.resolve("hg"), TinyTraining.QUIET).run();
        assertTrue(Files.exists(dir.resolve("hg/asm.json")), "the hourglass learnt soft targets");

        TrainConfig s = tiny(data);
        s.epochs = 5;
        s.tolerantTeacher = dir.resolve("hg/best.lmk").toString();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RegressionTrainer.Result sr = new RegressionTrainer(s, dir.resolve("student"), new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        assertTrue(sr.lastEpochLoss() < sr.firstEpochLoss(), "student loss " + sr.firstEpochLoss() + " -> " + sr.lastEpochLoss());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("tolerant teacher: " + dir.resolve("hg/best.lmk") + " (hourglass, 128 px"),
                log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void poseWeightingWithoutThePoseNetAndAMissingTeacherAreRejected() {
        TrainConfig c = tiny(dir);
        c.architecture = "efficientnet";
        c.poseWeighting = true;
        assertThrows(IllegalArgumentException.class, () -> new RegressionTrainer(c, dir.resolve("a"), System.out).run());
        TrainConfig d = tiny(dir);
        d.toughTeacher = dir.resolve("none.lmk").toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RegressionTrainer(d, dir.resolve("b"), System.out).run());
        assertTrue(e.getMessage().contains("none.lmk"), e.getMessage());
    }
}

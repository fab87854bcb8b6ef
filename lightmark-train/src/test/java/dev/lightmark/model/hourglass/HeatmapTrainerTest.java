package dev.lightmark.model.hourglass;

import dev.lightmark.model.pfld.TrainConfig;

import dev.lightmark.data.FaceSample;
import dev.lightmark.data.PtsFolder;
import dev.lightmark.eval.Nme;
import dev.lightmark.eval.Normalizer;
import dev.lightmark.image.Images;
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.testdata.SyntheticFaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.lightmark.testdata.TinyTraining.*;
import static org.junit.jupiter.api.Assertions.*;

class HeatmapTrainerTest {
    @TempDir Path dir;

    private HeatmapConfig tiny(Path data) {
        HeatmapConfig c = on(data, new HeatmapConfig());
        c.inputSize = 64;
        c.stacks = 2;
        c.depth = 2;
        c.channels = 16;
        c.learningRate = 1e-3f;
        c.decayEpochs = new int[]{100};
        return c;
    }

    @Test
    void trainingReducesTheLossAndTheModelRunsInThePredictor() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 30, 80, 1);
        HeatmapConfig c = tiny(data);
        c.epochs = 4;
        Path out = dir.resolve("run");
        HeatmapTrainer.Result r = new HeatmapTrainer(c, out, QUIET).run();
        assertTrue(r.lastEpochLoss() < 0.7 * r.firstEpochLoss(), "loss " + r.firstEpochLoss() + " -> " + r.lastEpochLoss());
        for (String f : new String[]{"config.json", "log.csv", "checkpoint.lmk", "best.lmk", "last.lmk", "val-faces.txt"})
            assertTrue(Files.exists(out.resolve(f)), f);
        assertEquals(5, Files.readAllLines(out.resolve("log.csv")).size());

        // The saved model loads as an "hourglass" and gives 68 finite points in image pixels.
        try (LandmarkPredictor p = LandmarkPredictor.load(out.resolve("best.lmk"), 1)) {
            assertEquals("hourglass", p.spec().architecture);
            assertEquals(2, HourglassArchitecture.settings(p.spec()).stacks);
            List<FaceSample> faces = PtsFolder.load(data, 68).samples();
            FaceSample f = faces.get(0);
            Landmarks pred = p.predict(Images.read(f.image()), f.faceBox());
            assertEquals(68, pred.size());
            for (int i = 0; i < 68; i++) {
                assertTrue(pred.x(i) > -20 && pred.x(i) < 100 && pred.y(i) > -20 && pred.y(i) < 100, "point " + i);
            }
            assertTrue(Double.isFinite(Nme.of(pred, f.landmarks(), Normalizer.INTER_OCULAR)));
            assertTrue(p.parameterCount() > 10_000);
        }
    }

    /**
     * Distillation: the teacher's maps become (part of) the targets. A student that starts as the
     * teacher has a far smaller loss against its teacher's maps than against the ground truth the
     * weak teacher misses; a student from scratch learns with the mixed targets; a teacher with
     * another map grid is refused.
     */
    @Test
    void aHeatmapTeacherSetsTheTargets() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 24, 64, 5);
        HeatmapConfig t = tiny(data);
        t.epochs = 2;
        new HeatmapTrainer(t, dir.resolve("teacher"), QUIET).run();
        String teacher = dir.resolve("teacher/best.lmk").toString();

        HeatmapConfig own = tiny(data), taught = tiny(data);
        for (HeatmapConfig c : List.of(own, taught)) {
            c.epochs = 1;
            c.learningRate = 1e-7f;
            c.initFrom = teacher;
        }
        taught.teacher = teacher;
        taught.teacherWeight = 1f;
        double truthLoss = new HeatmapTrainer(own, dir.resolve("own"), QUIET).run().firstEpochLoss();
        double teacherLoss = new HeatmapTrainer(taught, dir.resolve("taught"), QUIET).run().firstEpochLoss();
        assertTrue(teacherLoss < 0.5 * truthLoss, "against its own maps " + teacherLoss + ", against the truth " + truthLoss);

        HeatmapConfig student = tiny(data);
        student.epochs = 4;
        student.teacher = teacher;
        HeatmapTrainer.Result r = new HeatmapTrainer(student, dir.resolve("student"), QUIET).run();
        assertTrue(r.lastEpochLoss() < 0.7 * r.firstEpochLoss(), "loss " + r.firstEpochLoss() + " -> " + r.lastEpochLoss());

        // The same teacher exported, twice as an ensemble, on ONNX Runtime: maps averaged, so the same targets.
        Path onnx = dir.resolve("teacher.onnx");
        dev.lightmark.export.OnnxExporter.export(dir.resolve("teacher/best.lmk"), onnx);
        HeatmapConfig viaOnnx = tiny(data);
        viaOnnx.epochs = 1;
        viaOnnx.learningRate = 1e-7f;
        viaOnnx.initFrom = teacher;
        viaOnnx.teacher = onnx + "+" + onnx;
        viaOnnx.teacherWeight = 1f;
        double onnxLoss = new HeatmapTrainer(viaOnnx, dir.resolve("via-onnx"), QUIET).run().firstEpochLoss();
        assertEquals(teacherLoss, onnxLoss, 0.02 * teacherLoss, "ONNX ensemble teacher vs the .lmk");

        HeatmapConfig other = tiny(data);
        other.sigma = 2f;
        other.teacher = teacher;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HeatmapTrainer(other, dir.resolve("other"), QUIET).run());
        assertTrue(e.getMessage().contains("sigma 2.0"), e.getMessage());
        other.sigma = t.sigma;
        other.teacher = dir.resolve("missing.lmk").toString();
        e = assertThrows(IllegalArgumentException.class, () -> new HeatmapTrainer(other, dir.resolve("other2"), QUIET).run());
        assertTrue(e.getMessage().contains("teacher model not found"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("other2")), "refused before the run folder is made");
    }

    /** A run killed mid-epoch and resumed ends with the same weights as a run never interrupted. */
    @Test
    void resumeAfterAKillLosesNothing() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 20, 64, 3);
        HeatmapConfig c = tiny(data);
        c.epochs = 2;
        c.momentum = 0.9f;
        c.checkpointEverySteps = 1;
        Resumed r = killAndResume(dir, 3, (out, kill) -> {   // killed in epoch 2, step 1 of 2
            HeatmapTrainer t = new HeatmapTrainer(c, out, QUIET);
            t.simulatedKillAfterSteps = kill;
            t.run();
        });
        assertSameLogButTimes(r.straight(), r.killed());
    }

    @Test
    void badSettingsAndAnotherConfigAreRejected() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 10, 64, 4);
        HeatmapConfig c = tiny(data);
        c.epochs = 1;
        Path out = dir.resolve("run");
        new HeatmapTrainer(c, out, QUIET).run();
        c.learningRate = 1e-4f;
        assertRefusedAsAnotherConfig(() -> new HeatmapTrainer(c, out, QUIET).run());

        HeatmapConfig bad = tiny(data);
        bad.inputSize = 72;
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> new HeatmapTrainer(bad, dir.resolve("bad"), QUIET).run());
        assertTrue(size.getMessage().contains("inputSize 72"), size.getMessage());
        bad.inputSize = 64;
        bad.loss = "l1";
        assertThrows(IllegalArgumentException.class, () -> new HeatmapTrainer(bad, dir.resolve("bad"), QUIET).run());
    }

    @Test
    void configFilesAreToldApartByTheirArchitecture() throws Exception {
        Path hg = dir.resolve("hg.json"), pfld = dir.resolve("pfld.json");
        new HeatmapConfig().write(hg);
        new TrainConfig().write(pfld);
        assertTrue(HeatmapConfig.isHeatmapConfig(hg));
        assertFalse(HeatmapConfig.isHeatmapConfig(pfld));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HeatmapConfig.isHeatmapConfig(dir.resolve("missing.json")));
        assertTrue(e.getMessage().contains("missing.json"));
    }
}

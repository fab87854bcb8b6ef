package dev.lightmark.model.tsal;

import dev.lightmark.data.FaceSample;
import dev.lightmark.data.PtsFolder;
import dev.lightmark.image.Images;
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.io.SectionFile;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.testdata.SyntheticFaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.lightmark.testdata.TinyTraining.*;
import static org.junit.jupiter.api.Assertions.*;

class TsalTrainerTest {
    @TempDir Path dir;

    static TsalConfig tiny(Path data) {
        TsalConfig c = on(data, new TsalConfig());
        c.batchSize = 4;            // 8 training faces: 2 steps an epoch
        c.semi = true;
        c.semiFromEpoch = 1;
        c.rampEpochs = 1;
        c.unlabelledBatch = 2;
        c.consistencyPairs = 1;
        c.agreement = 10f;          // an untrained teacher's heads rarely agree; let the test exercise the masks
        c.maxAsmResidual = 10f;
        return c;
    }

    /** Synthetic faces as the frames of one "video", each linked to the next. */
    static UnlabelledPool pool(Path data) throws Exception {
        UnlabelledPool p = new UnlabelledPool();
        int prev = -1;
        for (FaceSample s : PtsFolder.load(data, 68).samples())
            prev = p.addFrame(Images.read(s.image()), s.landmarks().bounds(), 64, s.name(), prev);
        return p;
    }

    @Test
    void teacherStudentStepsReduceTheLossAndTheModelLoads() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 10, 96, 1);
        TsalConfig c = tiny(data);
        c.epochs = 3;
        c.semiFromEpoch = 0;                 // all epochs semi-supervised ...
        c.teacherEveryEpochs = 100;          // ... against one fixed teacher, so the targets hold still
        Path out = dir.resolve("run");
        TsalTrainer t = new TsalTrainer(c, out, QUIET);
        t.poolOverride = pool(SyntheticFaces.write(dir.resolve("frames"), 4, 96, 2));
        TsalTrainer.Result r = t.run();
        assertEquals(3 * 2 * 2, r.pseudoFaces());          // 3 semi epochs x 2 steps x 2 faces
        assertTrue(r.keptPointShare() > 0);
        List<String> log = Files.readAllLines(out.resolve("log.csv"));
        assertEquals(4, log.size());
        assertTrue(log.get(0).contains("cons_loss"));
        assertTrue(Double.parseDouble(log.get(3).split(",")[4]) > 0, "consistency term ran: " + log.get(3));
        double semiFirst = Double.parseDouble(log.get(1).split(",")[1]), semiLast = Double.parseDouble(log.get(3).split(",")[1]);
        assertTrue(semiLast < semiFirst, "loss " + semiFirst + " -> " + semiLast + ": " + log);

        try (LandmarkPredictor p = LandmarkPredictor.load(out.resolve("best.lmk"), 1)) {
            assertEquals("tsal", p.spec().architecture);
            FaceSample f = PtsFolder.load(data, 68).samples().get(0);
            Landmarks pred = p.predict(Images.read(f.image()), f.faceBox());
            assertEquals(68, pred.size());
            for (int i = 0; i < 68; i++) assertTrue(Float.isFinite(pred.x(i)) && Float.isFinite(pred.y(i)));
        }
    }

    @Test
    void lowLabelRunsUseOnlyTheLabelledShareAndListItRepeatedly() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 10, 96, 1);
        TsalConfig c = tiny(data);
        c.semi = false;
        c.epochs = 1;
        c.labelledShare = 0.5f;
        c.labelledRepeat = 3;
        Path out = dir.resolve("low");
        new TsalTrainer(c, out, QUIET).run();
        List<String> labelled = Files.readAllLines(out.resolve("labelled-faces.txt"));
        List<String> val = Files.readAllLines(out.resolve("val-faces.txt"));
        assertEquals(4, labelled.size(), "half of the 8 training faces");
        for (String v : val) assertFalse(labelled.contains(v));
        assertTrue(Files.exists(out.resolve("best.lmk")));
    }

    @Test
    void photosWithoutAFaceAreSkippedAndCounted() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.jpg"), "not a jpeg");
        Path blank = dir.resolve("blank.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB), "png", blank.toFile());
        UnlabelledPool p = new UnlabelledPool();
        try (var det = dev.lightmark.infer.FacePipeline.create(dev.lightmark.infer.FacePipeline.DetectorChoice.FRONT, 0.5f, 1, null)) {
            assertEquals(2, p.addPhotos(List.of(broken, blank), det, 64, 20));
        }
        assertEquals(0, p.size());
        assertEquals(0, p.photoFaces());
    }

    @Test
    void mirroredReadingIsPutBackInOrderAndAveraged() {
        dev.lightmark.landmarks.LandmarkScheme sch = dev.lightmark.landmarks.LandmarkScheme.IBUG68;
        float[] pts = new float[136], mirrored = new float[136];
        for (int j = 0; j < 68; j++) {
            pts[2 * j] = 0.2f + 0.005f * j;
            pts[2 * j + 1] = 0.3f + 0.004f * j;
        }
        // What a perfect network reads from the mirrored crop: point j of the mirrored face is the mirror of point mirrorOf(j).
        for (int j = 0; j < 68; j++) {
            int m = sch.mirrorOf(j);
            mirrored[2 * j] = 1f - pts[2 * m];
            mirrored[2 * j + 1] = pts[2 * m + 1];
        }
        float[] avg = pts.clone();
        dev.lightmark.infer.LandmarkPredictor.averageWithMirrored(avg, mirrored, 1, sch);
        assertArrayEquals(pts, avg, 1e-6f);
    }

    @Test
    void meanTeacherMovesTowardTheStudent() {
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager("PyTorch")) {
            dev.lightmark.model.tsal.TsalNet a = new dev.lightmark.model.tsal.TsalSpec().build(68);
            dev.lightmark.model.tsal.TsalNet b = new dev.lightmark.model.tsal.TsalSpec().build(68);
            a.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 3, 112, 112));
            b.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 3, 112, 112));
            var sa = a.getParameters().get(0).getValue().getArray();
            var sb = b.getParameters().get(0).getValue().getArray();
            float before = sa.sub(sb).abs().sum().getFloat();
            TsalTrainer.followStudent(a, b, 0.75f);
            float after = sa.sub(sb).abs().sum().getFloat();
            assertEquals(0.75f * before, after, 1e-3f * before);
        }
    }

    @Test
    void personsAreHeldOutWhole() {
        assertEquals("Abdullah_Gul", TsalTrainer.person("Abdullah_Gul_10a"));
        assertEquals("Al_Gore", TsalTrainer.person("Al_Gore_3"));
        List<FaceSample> all = new java.util.ArrayList<>();
        for (String n : new String[]{"A_B_1a", "A_B_2a", "C_D_1a", "C_D_1b", "E_F_5a", "G_H_1a"})
            all.add(new FaceSample(Path.of(n + ".jpg"), new Landmarks(new float[136])));
        List<List<FaceSample>> split = TsalTrainer.splitByPerson(all, 0.3f, 7);
        assertEquals(6, split.get(0).size() + split.get(1).size());
        assertFalse(split.get(1).isEmpty());
        for (FaceSample v : split.get(1))
            for (FaceSample t : split.get(0)) assertNotEquals(TsalTrainer.person(v.name()), TsalTrainer.person(t.name()));
    }

    @Test
    void badSettingsAreRejected() {
        TsalConfig c = new TsalConfig();
        c.consistencyPairs = 20;
        c.semi = true;
        assertThrows(IllegalArgumentException.class, c::validate);
        TsalConfig low = new TsalConfig();
        low.labelledShare = 0;
        assertThrows(IllegalArgumentException.class, low::validate);
        TsalConfig rest = new TsalConfig();
        rest.unlabelledRest = true;
        assertTrue(assertThrows(IllegalArgumentException.class, rest::validate).getMessage().contains("labelledShare"));
        TsalConfig d = new TsalConfig();
        d.architecture = "pfld";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, d::validate);
        assertTrue(e.getMessage().contains("tsal"));
        // Common fields this trainer does not read are refused, not silently ignored.
        TsalConfig extra = new TsalConfig();
        extra.extraTrainDirs = java.util.List.of("runs/pseudo");
        assertTrue(assertThrows(IllegalArgumentException.class, extra::validate).getMessage().contains("extraTrainDirs"));
        TsalConfig repeats = new TsalConfig();
        repeats.trainRepeats = 2;
        assertTrue(assertThrows(IllegalArgumentException.class, repeats::validate).getMessage().contains("labelledRepeat"));
    }
}

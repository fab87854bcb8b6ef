package dev.lightmark.infer;

import dev.lightmark.geometry.Box;
import dev.lightmark.io.BundledResources;
import dev.lightmark.landmarks.Landmarks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class PointCalibrationTest {
    @TempDir Path dir;

    @Test
    void theFitRemovesTheMeanErrorAndSkipsFacesNotFound() {
        SplittableRandom r = new SplittableRandom(3);
        List<Landmarks> truth = new ArrayList<>(), pred = new ArrayList<>();
        for (int f = 0; f < 50; f++) {
            float[] t = new float[136], p = new float[136];
            for (int i = 0; i < 136; i += 2) {
                t[i] = (float) (r.nextDouble() * 200);
                t[i + 1] = (float) (r.nextDouble() * 200);
                // Off by (-1.5, +0.25) on average, plus symmetric noise.
                p[i] = t[i] - 1.5f + (float) (r.nextDouble() - 0.5);
                p[i + 1] = t[i + 1] + 0.25f + (float) (r.nextDouble() - 0.5);
            }
            truth.add(new Landmarks(t));
            pred.add(new Landmarks(p));
        }
        truth.add(new Landmarks(new float[136]));
        pred.add(null);
        PointCalibration.Shift s = PointCalibration.fit(truth, pred);
        assertEquals(1.5, s.x(), 0.03);
        assertEquals(-0.25, s.y(), 0.03);
        assertThrows(IllegalArgumentException.class, () -> PointCalibration.fit(List.of(new Landmarks(new float[4])), Arrays.asList((Landmarks) null)));
        assertThrows(IllegalArgumentException.class, () -> PointCalibration.fit(List.of(new Landmarks(new float[4])), List.of()));
    }

    @Test
    void eachPathHasItsOwnShiftAndEnsemblesAverageTheirMembers() {
        PointCalibration c = new PointCalibration(1, "test", new PointCalibration.Shift(1, -2), new PointCalibration.Shift(3, 0.5));
        Landmarks p = new Landmarks(new float[]{10, 20, 30, 40});
        assertArrayEquals(new float[]{11, 18, 31, 38}, c.apply(p, false).toArray());
        assertArrayEquals(new float[]{13, 20.5f, 33, 40.5f}, c.apply(p, true).toArray());
        assertSame(p, PointCalibration.NONE.apply(p, true), "no calibration, no copy");
        PointCalibration m = PointCalibration.mean(List.of(c, PointCalibration.NONE));
        assertEquals(new PointCalibration.Shift(0.5, -1), m.onePass());
        assertEquals(new PointCalibration.Shift(1.5, 0.25), m.flip());
        assertSame(PointCalibration.NONE, PointCalibration.mean(List.of(PointCalibration.NONE, PointCalibration.NONE)));
    }

    @Test
    void brokenShiftsAndFilesAreRefusedWithTheirName() throws Exception {
        assertThrows(IllegalArgumentException.class,
                () -> new PointCalibration(1, "x", new PointCalibration.Shift(Double.NaN, 0), PointCalibration.Shift.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> new PointCalibration(1, "x", PointCalibration.Shift.ZERO, new PointCalibration.Shift(0, 500)));
        assertThrows(IllegalArgumentException.class, () -> new PointCalibration(1, "x", null, PointCalibration.Shift.ZERO));
        Path bad = dir.resolve("m.calibration.json");
        Files.writeString(bad, "{\"version\": 1, \"onePass\": {\"x\": 1e9, \"y\": 0}, \"flip\": {\"x\": 0, \"y\": 0}}");
        IOException e = assertThrows(IOException.class, () -> PointCalibration.forModel(dir.resolve("m.onnx")));
        assertTrue(e.getMessage().contains("m.calibration.json"), e.getMessage());
        Files.writeString(bad, "not json");
        assertThrows(IOException.class, () -> PointCalibration.load(bad));
        assertSame(PointCalibration.NONE, PointCalibration.forModel(dir.resolve("other.onnx")), "no file beside: none");
    }

    @Test
    void aModelFileReadsTheCalibrationBesideItAndMovesItsPointsByIt() throws Exception {
        Path onnx = dir.resolve("pfld.onnx");
        Files.write(onnx, BundledResources.read(LandmarkPredictor.BUNDLED));
        BufferedImage img = new BufferedImage(160, 160, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 160; y++) for (int x = 0; x < 160; x++) img.setRGB(x, y, (x * 7 + y * 3) & 0xFFFFFF);
        Box face = new Box(40, 40, 80, 80);
        float[] raw, rawFlip;
        try (LandmarkPredictor p = LandmarkPredictor.load(onnx, 1)) {
            assertSame(PointCalibration.NONE, p.calibration());
            p.setFlipTest(false);
            raw = p.predict(img, face).toArray();
            p.setFlipTest(true);
            rawFlip = p.predict(img, face).toArray();
        }
        PointCalibration c = new PointCalibration(1, "test", new PointCalibration.Shift(0.75, -0.5), new PointCalibration.Shift(-1.25, 2));
        c.save(PointCalibration.besideModel(onnx));
        try (LandmarkPredictor p = LandmarkPredictor.load(onnx, 1)) {
            assertEquals(c, p.calibration());
            p.setFlipTest(false);
            float[] one = p.predict(img, face).toArray();
            p.setFlipTest(true);
            float[] two = p.predict(img, face).toArray();
            for (int i = 0; i < raw.length; i += 2) {
                assertEquals(raw[i] + 0.75f, one[i], 1e-4f);
                assertEquals(raw[i + 1] - 0.5f, one[i + 1], 1e-4f);
                assertEquals(rawFlip[i] - 1.25f, two[i], 1e-4f);
                assertEquals(rawFlip[i + 1] + 2f, two[i + 1], 1e-4f);
            }
        }
    }

    @Test
    void bundledModelsCarryTheirFilesCalibrationAndEnsemblesTheMean() throws Exception {
        PointCalibration hg = PointCalibration.forResource(BundledModels.HOURGLASS);
        PointCalibration wide = PointCalibration.forResource(BundledModels.HOURGLASS_96_CHANNELS);
        PointCalibration ft = PointCalibration.forResource(BundledModels.HOURGLASS_YTF68_300W);
        assertNotSame(PointCalibration.NONE, hg, "the default has a calibration");
        assertNotSame(PointCalibration.NONE, wide, "accurate's first member has a calibration");
        try (LandmarkPredictor d = LandmarkPredictor.load(Path.of("default"), 1);
             LandmarkPredictor a = LandmarkPredictor.load(Path.of("accurate"), 1)) {
            assertEquals(hg, d.calibration());
            assertEquals(PointCalibration.mean(List.of(wide, ft)).onePass(), a.calibration().onePass());
            assertEquals(PointCalibration.mean(List.of(wide, ft)).flip(), a.calibration().flip());
        }
    }
}

package dev.lightmark.quality;

import dev.lightmark.geometry.Box;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.testdata.SyntheticFaces;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class QualityFitTest {
    /**
     * Made-up faces whose true error grows with the flip disagreement: the fitted model must rank
     * them (Spearman near 1), match the mean error, and give confident points where the readings agree.
     */
    static List<QualityFit.Sample> samples(int n, long seed) {
        Random r = new Random(seed);
        float[] t = SyntheticFaces.template();
        List<QualityFit.Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] pts = new float[136], direct = new float[136], mirrored = new float[136];
            double spread = Math.exp(-5 + 2.5 * r.nextDouble());   // 0.007 .. 0.08 crop units
            double[] pe = new double[68];
            for (int j = 0; j < 68; j++) {
                float x = 0.1f + 0.8f * t[2 * j], y = 0.1f + 0.8f * t[2 * j + 1];
                double dx = spread * r.nextGaussian(), dy = spread * r.nextGaussian();
                pts[2 * j] = x;
                pts[2 * j + 1] = y;
                direct[2 * j] = (float) (x + dx);
                direct[2 * j + 1] = (float) (y + dy);
                mirrored[2 * j] = (float) (x - dx);
                mirrored[2 * j + 1] = (float) (y - dy);
                pe[j] = 3 * Math.hypot(dx, dy) / 0.32 * (0.8 + 0.4 * r.nextDouble());
            }
            double nme = 0;
            for (double e : pe) nme += e;
            QualitySignals s = QualitySignals.of(pts, direct, mirrored, new Box(0, 0, 150, 150), 400, 400);
            out.add(new QualityFit.Sample(s, nme / 68, pe));
        }
        return out;
    }

    @Test
    void learnsToRankFacesByFlipDisagreement() {
        List<QualityFit.Sample> train = samples(300, 1), test = samples(200, 2);
        QualityModel m = QualityFit.fit(train, "synthetic");
        assertNotNull(m.flip);
        double[] pred = new double[test.size()], truth = new double[test.size()];
        double sumPred = 0, sumTrue = 0;
        for (int i = 0; i < test.size(); i++) {
            pred[i] = m.rawPredictedNme(test.get(i).signals());
            truth[i] = test.get(i).nme();
            sumPred += pred[i];
            sumTrue += truth[i];
        }
        assertTrue(Ranking.spearman(pred, truth) > 0.9, "Spearman " + Ranking.spearman(pred, truth));
        assertEquals(1, sumPred / sumTrue, 0.15);
        assertTrue(m.flip.pointDisagreement < 0, "more disagreement, less confidence: " + m.flip.pointDisagreement);
        // Confidence separates good points from bad ones.
        List<Double> good = new ArrayList<>(), bad = new ArrayList<>();
        for (QualityFit.Sample s : test) {
            FaceQuality q = m.estimate(s.signals(), new Landmarks(s.signals().points()), 400, 400);
            for (int j = 0; j < 68; j++) (s.pointError()[j] <= QualityFit.POINT_THRESHOLD ? good : bad).add((double) q.confidence(j));
        }
        assertFalse(good.isEmpty() || bad.isEmpty());
        assertTrue(good.stream().mapToDouble(Double::doubleValue).average().orElseThrow()
                > bad.stream().mapToDouble(Double::doubleValue).average().orElseThrow() + 0.2);
    }

    @Test
    void savesAndLoadsTheSameModel(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        QualityModel m = QualityFit.fit(samples(100, 3), "synthetic");
        Path f = dir.resolve("m.quality.json");
        m.save(f);
        QualityModel back = QualityModel.load(f);
        QualitySignals s = samples(1, 4).get(0).signals();
        assertEquals(m.rawPredictedNme(s), back.rawPredictedNme(s), 1e-12);
        assertEquals(dir.resolve("pfld.quality.json"), QualityModel.besideModel(dir.resolve("pfld.onnx")));
    }

    @Test
    void theBundledModelGivesValuesInRangeWithAndWithoutFlip() {
        QualityModel m = QualityModel.bundled();
        assertNotNull(m.flip, "bundled model has flip parameters");
        for (QualityFit.Sample x : samples(20, 5)) {
            QualitySignals s = x.signals();
            QualitySignals one = new QualitySignals(s.points(), null, s.interOcular(), s.yaw(), s.cropPixels(), s.coverage(), s.outOfCrop());
            for (QualitySignals v : List.of(s, one)) {
                FaceQuality q = m.estimate(v, new Landmarks(v.points()), 400, 400);
                assertTrue(q.predictedNme() > 0 && q.predictedNme() <= 1);
                for (float c : q.confidence()) assertTrue(c >= 0 && c <= 1);
            }
        }
    }
}

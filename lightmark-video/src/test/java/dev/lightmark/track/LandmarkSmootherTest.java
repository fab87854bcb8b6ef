package dev.lightmark.track;

import dev.lightmark.eval.Jitter;
import dev.lightmark.eval.Nme;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.shape.Similarity;
import dev.lightmark.testdata.SyntheticFaces;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class LandmarkSmootherTest {
    private static final double DT = 1 / 30.0;
    private static final OneEuroParams P = new OneEuroParams(1, 10, 1);

    /** A face swaying and drifting (rigid), observed with 1.5 px noise; returns {jitter, mean error px}. */
    private static double[] run(LandmarkSmoother s) {
        Random r = new Random(9);
        float[] t = SyntheticFaces.template();
        for (int i = 0; i < t.length; i++) t[i] *= 120;
        Landmarks face = new Landmarks(t);
        Jitter.Mean jitter = new Jitter.Mean();
        Landmarks prev = null;
        double err = 0;
        int n = 0;
        for (int i = 0; i < 150; i++) {
            double time = i * DT;
            Landmarks truth = face.transform(Similarity.of(1 + 0.1 * Math.sin(time), 0.2 * Math.sin(2 * time),
                    200 + 60 * Math.sin(3 * time), 150 + 20 * time).transform());
            float[] xy = truth.toArray();
            for (int k = 0; k < xy.length; k++) xy[k] += (float) (1.5 * r.nextGaussian());
            Landmarks out = s == null ? new Landmarks(xy) : s.smooth(new Landmarks(xy), time);
            if (prev != null) jitter.add(prev, out);
            if (i >= 30) { err += Nme.meanError(out, truth); n++; }
            prev = out;
        }
        return new double[]{jitter.mean(), err / n};
    }

    @Test
    void faceSpaceSmoothsTheShapeWhileTheHeadMovesWithoutLag() {
        double[] raw = run(null);
        double[] image = run(new LandmarkSmoother(P));
        double[] face = run(new LandmarkSmoother(P, LandmarkSmoother.Space.FACE, null));
        double[] facePose = run(new LandmarkSmoother(P, LandmarkSmoother.Space.FACE, new OneEuroParams(4, 10, 1)));
        assertTrue(face[0] < 0.6 * raw[0], "face-space jitter " + face[0] + " vs raw " + raw[0]);
        assertTrue(face[0] < image[0], "face-space jitter " + face[0] + " vs image-space " + image[0]);
        assertTrue(face[1] < raw[1], "no lag with the raw pose: error " + face[1] + " px vs raw " + raw[1]);
        assertTrue(facePose[1] < image[1], "light pose smoothing lags less than image space: " + facePose[1] + " vs " + image[1]);
    }

    @Test
    void aStillFaceStaysWhereItIs() {
        float[] t = SyntheticFaces.template();
        for (int i = 0; i < t.length; i++) t[i] = 50 + 100 * t[i];
        Landmarks face = new Landmarks(t);
        LandmarkSmoother s = new LandmarkSmoother(P, LandmarkSmoother.Space.FACE, new OneEuroParams(4, 10, 1));
        for (int i = 0; i < 20; i++) assertTrue(Nme.meanError(s.smooth(face, i * DT), face) < 1e-3);
        s.reset();
        assertTrue(Nme.meanError(s.smooth(face, 0), face) < 1e-3);
    }
}

package dev.lightmark.pseudo;

import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.shape.ShapeModel;
import dev.lightmark.testdata.SyntheticFaces;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The filters on hand-made readings: agreement, the shape check and the five weak labels. */
class PseudoLabellerTest {
    /** The template face, 100 px wide at (50, 50), lightly varied. */
    private static float[] face(Random r) {
        float[] t = SyntheticFaces.template();
        for (int i = 0; i < t.length; i++) t[i] = 50 + 100 * t[i] + (float) (0.3 * r.nextGaussian());
        return t;
    }

    private static float[] jitter(float[] xy, double px, long seed) {
        Random r = new Random(seed);
        float[] out = xy.clone();
        for (int i = 0; i < out.length; i++) out[i] += (float) (px * r.nextGaussian());
        return out;
    }

    private static ShapeModel asm() {
        List<Landmarks> shapes = new ArrayList<>();
        Random r = new Random(2);
        for (int i = 0; i < 40; i++) shapes.add(new Landmarks(face(r)));
        return ShapeModel.fit(shapes, 0.95, "synthetic").withClamp(true);
    }

    /** The five weak labels that match a 68-point shape exactly. */
    private static Landmarks fiveOf(Landmarks l) {
        float[] re = l.centroid(new int[]{36, 37, 38, 39, 40, 41}), le = l.centroid(new int[]{42, 43, 44, 45, 46, 47});
        return new Landmarks(new float[]{re[0], re[1], le[0], le[1], l.x(30), l.y(30), l.x(48), l.y(48), l.x(54), l.y(54)});
    }

    private final PseudoLabeller judge = new PseudoLabeller(asm(), PseudoLabeller.Settings.DEFAULT);

    @Test
    void agreeingReadingsAreKeptAndTheirMeanIsTheLabel() {
        float[] truth = face(new Random(5));
        List<float[]> readings = List.of(jitter(truth, 0.5, 1), jitter(truth, 0.5, 2), jitter(truth, 0.5, 3));
        PseudoLabeller.Label l = judge.judge(readings, fiveOf(new Landmarks(truth)));
        assertTrue(l.kept(), "rejected: " + l.rejected());
        assertEquals(1f, l.agreeingShare());
        for (int j = 0; j < truth.length; j++)
            assertEquals((readings.get(0)[j] + readings.get(1)[j] + readings.get(2)[j]) / 3, l.points().toArray()[j], 1e-4);
        assertTrue(l.fiveNme() < 0.02, "five-point NME " + l.fiveNme());
    }

    @Test
    void readingsThatDisagreeOnManyPointsAreDropped() {
        float[] truth = face(new Random(6));
        float[] off = truth.clone();
        for (int p = 0; p < 17; p++) off[2 * p] += 15;   // the whole jaw 15 px (over a quarter of the eye distance) off
        PseudoLabeller.Label l = judge.judge(List.of(truth, off), null);
        assertEquals(PseudoLabeller.Rejection.DISAGREE, l.rejected());
        assertEquals(51f / 68, l.agreeingShare(), 1e-6);
    }

    @Test
    void anImplausibleShapeAndWrongWeakLabelsAreDropped() {
        Random r = new Random(7);
        float[] twisted = face(r);
        for (int p = 48; p < 68; p++) twisted[2 * p + 1] -= 45;   // the mouth moved up between the eyes
        assertEquals(PseudoLabeller.Rejection.SHAPE, judge.judge(List.of(twisted, twisted), null).rejected());

        float[] ok = face(r);
        Landmarks five = fiveOf(new Landmarks(ok));
        float[] shifted = five.toArray();
        for (int i = 0; i < shifted.length; i += 2) shifted[i] += 12;   // weak labels 12 px to the right
        PseudoLabeller.Label l = judge.judge(List.of(ok, ok), new Landmarks(shifted));
        assertEquals(PseudoLabeller.Rejection.FIVE_POINTS, l.rejected());
        assertTrue(judge.judge(List.of(ok, ok), five).kept());
    }

    @Test
    void readingsOfTheMirroredImageComeBackInTheImagesFrameAndOrder() {
        float[] truth = face(new Random(8));
        int w = 200;
        float[] m = new float[truth.length];
        Landmarks mirrored = new Landmarks(truth).mirrorOrder(dev.lightmark.landmarks.LandmarkScheme.IBUG68);
        float[] mx = mirrored.toArray();
        for (int p = 0; p < mx.length / 2; p++) {
            m[2 * p] = w - mx[2 * p];
            m[2 * p + 1] = mx[2 * p + 1];
        }
        assertArrayEquals(truth, new Landmarks(m).mirrored(w, dev.lightmark.landmarks.LandmarkScheme.IBUG68).toArray(), 1e-4f);
        int[] px = {1, 2, 3, 4, 5, 6};
        assertArrayEquals(new int[]{3, 2, 1, 6, 5, 4}, dev.lightmark.image.Warp.mirrored(px, 3, 2));
    }
}

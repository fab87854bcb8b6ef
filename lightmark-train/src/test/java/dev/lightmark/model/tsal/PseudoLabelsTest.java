package dev.lightmark.model.tsal;

import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.shape.ShapeModel;
import dev.lightmark.testdata.SyntheticFaces;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class PseudoLabelsTest {
    private static final LandmarkScheme S = LandmarkScheme.IBUG68;

    /** The template at 100 px with small random changes (a training set for the ASM). */
    private static float[] face(Random r, double noise) {
        float[] t = SyntheticFaces.template();
        for (int i = 0; i < t.length; i++) t[i] = (float) (t[i] * 100 + r.nextGaussian() * noise);
        return t;
    }

    private static ShapeModel asm() {
        Random r = new Random(1);
        List<Landmarks> shapes = new ArrayList<>();
        for (int i = 0; i < 60; i++) shapes.add(new Landmarks(face(r, 1.0)));
        return ShapeModel.fit(shapes, 0.95, "synthetic").withClamp(true);
    }

    @Test
    void pointsAreKeptOnlyWhereTheTwoHeadsAgree() {
        float[] b = face(new Random(2), 0.5);
        float[] a = b.clone();
        float io = new Landmarks(b).interOcular(S);
        a[2 * 5] += 0.3f * io;            // point 5: 0.3 inter-ocular apart -> dropped
        a[2 * 40 + 1] += 0.05f * io;      // point 40: 0.05 apart -> kept
        PseudoLabels.Label l = new PseudoLabels(new PseudoLabels.Settings(0.1f, 1f), null, S).make(a, b);
        assertFalse(l.keep()[5]);
        assertTrue(l.keep()[40]);
        assertEquals(67, l.kept());
        assertEquals(67, l.agreeing());
        // Fused point: the mean where the heads agree, head B's where they do not.
        assertEquals(b[81] + 0.025f * io, l.points().y(40), 1e-3);
        assertEquals(b[10], l.points().x(5), 1e-6);
    }

    @Test
    void shapesFarFromTheAsmSpaceAreRejectedWhole() {
        PseudoLabels labels = new PseudoLabels(new PseudoLabels.Settings(0.1f, 0.05f), asm(), S);
        float[] good = face(new Random(3), 1.0);
        PseudoLabels.Label ok = labels.make(good, good);
        assertTrue(ok.shapeOk(), "residual " + ok.asmResidual());
        assertEquals(68, ok.kept());

        // The mouth pulled up onto the nose: both heads agree, but it is no face.
        float[] bad = good.clone();
        for (int i = 48; i < 68; i++) bad[2 * i + 1] -= 30;
        PseudoLabels.Label no = labels.make(bad, bad);
        assertFalse(no.shapeOk(), "residual " + no.asmResidual());
        assertEquals(68, no.agreeing());
        assertEquals(0, no.kept());
        assertTrue(no.asmResidual() > ok.asmResidual());
    }

    @Test
    void theMaskFollowsAMirroredView() {
        boolean[] keep = new boolean[68];
        keep[36] = true;                 // right eye's outer corner
        boolean[] m = PseudoLabels.mirror(keep, S);
        assertTrue(m[45]);               // becomes the left eye's outer corner
        assertFalse(m[36]);
        Landmarks lm = new Landmarks(SyntheticFaces.template());
        assertEquals(lm.mirrorOrder(S).x(45), lm.x(36));
    }
}

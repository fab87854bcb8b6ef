package dev.lightmark.shape;

import dev.lightmark.data.FaceSample;
import dev.lightmark.data.PtsFolder;
import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.testdata.SyntheticFaces;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class ShapeModelTest {
    @TempDir Path dir;

    private static final LandmarkScheme S = LandmarkScheme.IBUG68;

    /** Unit vector orthogonal to translations, the mean and its 90-degree rotation (so not a similarity). */
    private static double[] randomMode(double[] mean, List<double[]> others, Random r) {
        List<double[]> basis = new ArrayList<>();
        double[] tx = new double[136], ty = new double[136], rot = new double[136];
        for (int i = 0; i < 68; i++) { tx[2 * i] = 1; ty[2 * i + 1] = 1; rot[2 * i] = -mean[2 * i + 1]; rot[2 * i + 1] = mean[2 * i]; }
        basis.add(tx); basis.add(ty); basis.add(mean.clone()); basis.add(rot); basis.addAll(others);
        double[] v = new double[136];
        for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian();
        List<double[]> done = new ArrayList<>();
        for (double[] b : basis) { // Gram-Schmidt
            double[] u = b.clone();
            for (double[] d : done) axpy(u, d, -dot(u, d));
            scale(u, 1 / Math.sqrt(dot(u, u)));
            done.add(u);
            axpy(v, u, -dot(v, u));
        }
        scale(v, 1 / Math.sqrt(dot(v, v)));
        return v;
    }

    /** Shapes from a 2-mode model (sd 0.4 and 0.2 in normalised units), plus pixel noise, at random similarities. */
    private static List<Landmarks> synthetic(int n, double noisePx, long seed) {
        Random r = new Random(seed);
        double[] mean = ProcrustesAlignment.normalise(ProcrustesAlignment.toDouble(SyntheticFaces.template()));
        double[] v1 = randomMode(mean, List.of(), r), v2 = randomMode(mean, List.of(v1), r);
        List<Landmarks> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            double[] x = mean.clone();
            axpy(x, v1, 0.4 * r.nextGaussian());
            axpy(x, v2, 0.2 * r.nextGaussian());
            Similarity sim = Similarity.of(20 + 40 * r.nextDouble(), 0.6 * (r.nextDouble() - 0.5), 100 + 200 * r.nextDouble(), 100 + 200 * r.nextDouble());
            float[] xy = new Landmarks(ProcrustesAlignment.toFloat(x)).transform(sim.transform()).toArray();
            for (int i = 0; i < xy.length; i++) xy[i] += (float) (noisePx * r.nextGaussian());
            out.add(new Landmarks(xy));
        }
        return out;
    }

    @Test
    void procrustesRecoversKnownSimilarity() {
        Landmarks shape = synthetic(1, 0, 3).get(0);
        Similarity known = Similarity.of(1.7, 0.4, 30, -12);
        Landmarks moved = shape.transform(known.transform());
        Similarity found = ProcrustesAlignment.alignTo(moved, shape.toArray());
        assertEquals(1 / 1.7, found.scale(), 1e-5);
        assertEquals(-0.4, found.rotation(), 1e-5);
        assertTrue(maxDiff(moved.transform(found.transform()), shape) < 1e-3);
        assertTrue(maxDiff(shape.transform(found.inverse()), moved) < 1e-3);

        // GPA of similarity copies of one shape: all aligned copies coincide with a normalised mean.
        List<Landmarks> copies = new ArrayList<>();
        for (int i = 0; i < 5; i++) copies.add(shape.transform(Similarity.of(0.5 + i, 0.3 * i - 0.6, 10 * i, -7 * i).transform()));
        ProcrustesAlignment.Result gpa = ProcrustesAlignment.align(copies);
        float[] m = gpa.mean();
        double cx = 0, cy = 0, ss = 0;
        for (int i = 0; i < 68; i++) { cx += m[2 * i]; cy += m[2 * i + 1]; ss += m[2 * i] * m[2 * i] + m[2 * i + 1] * m[2 * i + 1]; }
        assertEquals(0, cx / 68, 1e-6);
        assertEquals(0, cy / 68, 1e-6);
        assertEquals(1, Math.sqrt(ss / 68), 1e-5);
        for (Landmarks a : gpa.aligned()) assertTrue(maxDiff(a, new Landmarks(m)) < 1e-5);
        assertArrayEquals(ProcrustesAlignment.normalise(m), m, 1e-5f);
    }

    @Test
    void pcaRecoversTwoModesOfAKnownModel() {
        List<Landmarks> shapes = synthetic(300, 0, 1);
        ShapeModel model = ShapeModel.fit(shapes, 0.99, "synthetic");
        assertEquals(2, model.modes());
        assertTrue(model.varianceExplained() > 0.99999, "explained " + model.varianceExplained());
        double[] ev = model.eigenvalues();
        assertEquals(4, ev[0] / ev[1], 1.0, "variance ratio of the two modes (0.4^2 / 0.2^2)");
        ShapeModel.SoftError e = model.softenError(shapes, S);
        assertTrue(e.maxNme() < 1e-4, "soften error " + e);
    }

    @Test
    void softenIsIdempotentWithAndWithoutClamp() {
        List<Landmarks> shapes = synthetic(200, 0.5, 2);
        ShapeModel model = ShapeModel.fit(shapes, 0.8, "synthetic");
        assertTrue(model.modes() >= 1 && model.modes() < 136);
        for (ShapeModel m : List.of(model, model.withClamp(true))) {
            for (Landmarks x : shapes.subList(0, 20)) {
                Landmarks once = m.soften(x), twice = m.soften(once);
                assertTrue(maxDiff(once, twice) < 1e-4 * x.interOcular(S), "soften not idempotent: " + maxDiff(once, twice));
                assertArrayEquals(m.project(once), m.project(twice), 1e-4f);
            }
        }
        // Clamping: an exaggerated shape comes back within 3 sd per mode.
        float[] b = new float[model.modes()];
        b[0] = (float) (10 * Math.sqrt(model.eigenvalues()[0]));
        Similarity frame = Similarity.of(0.02, 0.1, -3, 4).after(Similarity.of(1, 0.2, 5, 0));
        Landmarks wild = model.reconstruct(b, frame);
        float[] clamped = model.withClamp(true).project(wild);
        assertEquals(3 * Math.sqrt(model.eigenvalues()[0]), clamped[0], 1e-5);
        assertEquals(b[0], model.project(wild)[0], 1e-3 * b[0]);
    }

    @Test
    void keepingAllModesReproducesTheShape() {
        List<Landmarks> shapes = synthetic(100, 1.0, 4);
        ShapeModel model = ShapeModel.fitModes(shapes, 136, "synthetic");
        assertEquals(1.0, model.varianceExplained(), 1e-9);
        for (Landmarks x : shapes.subList(0, 10)) assertTrue(maxDiff(model.soften(x), x) < 1e-3, "" + maxDiff(model.soften(x), x));
    }

    @Test
    void jsonRoundTrip() {
        ShapeModel model = ShapeModel.fit(synthetic(100, 0.5, 5), 0.9, "some/folder").withClamp(true);
        Path f = dir.resolve("asm.json");
        model.save(f);
        ShapeModel back = ShapeModel.load(f);
        assertEquals(model.provenance(), back.provenance());
        assertEquals(new ShapeModel.Provenance("some/folder", 100, 0.9), back.provenance());
        assertEquals(model.modes(), back.modes());
        assertTrue(back.clamp());
        assertEquals(model.varianceExplained(), back.varianceExplained(), 0);
        assertArrayEquals(model.mean(), back.mean());
        assertArrayEquals(model.eigenvalues(), back.eigenvalues());
        for (int i = 0; i < model.modes(); i++) assertArrayEquals(model.mode(i), back.mode(i));
        Landmarks x = synthetic(1, 0.5, 6).get(0);
        assertEquals(model.soften(x), back.soften(x));
    }

    @Test
    void jacobiSolvesASymmetricMatrix() {
        Random r = new Random(7);
        int n = 12;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = i; j < n; j++) a[i][j] = a[j][i] = r.nextGaussian();
        SymmetricEigen e = new SymmetricEigen(a);
        for (int k = 0; k < n; k++) {
            if (k > 0) assertTrue(e.values[k - 1] >= e.values[k]);
            for (int i = 0; i < n; i++) {
                double av = 0;
                for (int j = 0; j < n; j++) av += a[i][j] * e.vectors[k][j];
                assertEquals(e.values[k] * e.vectors[k][i], av, 1e-9);
            }
            assertEquals(1, dot(e.vectors[k], e.vectors[k]), 1e-9);
        }
    }

    @Test
    void realData300wTrain() {
        Path train = Path.of("../shared/data/300w/train");
        Assumptions.assumeTrue(Files.isDirectory(train), "300-W train data not found at " + train + "; skipping");
        PtsFolder.Loaded loaded = PtsFolder.load(train, 68);
        List<Landmarks> shapes = loaded.samples().stream().map(FaceSample::landmarks).toList();
        int previous = 0;
        for (double share : new double[]{0.95, 0.98}) {
            ShapeModel m = ShapeModel.fit(shapes, share, train.toString());
            ShapeModel.SoftError e = m.softenError(shapes, S);
            System.out.printf(java.util.Locale.ROOT, "300-W train (%d shapes, %d problems): %.0f%% variance -> %d modes (%.2f%%), soft NME mean %.3f%% max %.3f%% worst point %.3f%%%n",
                    shapes.size(), loaded.problems().size(), 100 * share, m.modes(), 100 * m.varianceExplained(),
                    100 * e.meanNme(), 100 * e.maxNme(), 100 * e.maxPointNme());
            assertTrue(m.varianceExplained() >= share);
            assertTrue(m.modes() > previous && m.modes() < 60, "modes " + m.modes());
            assertTrue(e.meanNme() < 0.05, "soft NME " + e.meanNme());
            previous = m.modes();
        }
    }

    private static double maxDiff(Landmarks a, Landmarks b) {
        double m = 0;
        for (int i = 0; i < a.size(); i++) m = Math.max(m, Math.hypot(a.x(i) - b.x(i), a.y(i) - b.y(i)));
        return m;
    }

    private static double dot(double[] a, double[] b) { double s = 0; for (int i = 0; i < a.length; i++) s += a[i] * b[i]; return s; }
    private static void axpy(double[] y, double[] x, double a) { for (int i = 0; i < y.length; i++) y[i] += a * x[i]; }
    private static void scale(double[] y, double a) { for (int i = 0; i < y.length; i++) y[i] *= a; }
}

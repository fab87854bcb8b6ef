package dev.lightmark.infer;

import dev.lightmark.geometry.Box;
import dev.lightmark.image.Warp;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.quality.FaceQuality;
import dev.lightmark.testdata.SyntheticFaces;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Boxes partly or wholly outside the image, of zero or tiny size, and a 10-pixel face: valid output, low trust. */
class DegenerateFacesTest {
    static LandmarkPredictor lp;

    @BeforeAll
    static void load() throws Exception {
        lp = LandmarkPredictor.load(null, 1);
        lp.setFlipTest(true);
    }

    @AfterAll
    static void close() { lp.close(); }

    static BufferedImage noise(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(3);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int v = 60 + r.nextInt(60);
                img.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        return img;
    }

    /** A face of the synthetic template drawn {@code size} pixels wide at (x, y); returns its points. */
    static Landmarks drawFace(BufferedImage img, float x, float y, float size) {
        float[] t = SyntheticFaces.template();
        float[] xy = new float[t.length];
        for (int i = 0; i < t.length; i += 2) {
            xy[i] = x + t[i] * size;
            xy[i + 1] = y + t[i + 1] * size;
        }
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(230, 200, 180));
        for (int i = 0; i + 1 < 68; i++) g.draw(new Line2D.Float(xy[2 * i], xy[2 * i + 1], xy[2 * i + 2], xy[2 * i + 3]));
        g.dispose();
        return new Landmarks(xy);
    }

    static void assertValid(FacePrediction p, int k) {
        assertEquals(k, p.points().size());
        for (float v : p.points().toArray()) assertTrue(Float.isFinite(v), "finite points");
        FaceQuality q = p.quality();
        assertNotNull(q);
        assertTrue(q.predictedNme() >= 0 && q.predictedNme() <= 1, "predictedNme " + q.predictedNme());
        assertEquals(k, q.confidence().length);
        for (float c : q.confidence()) assertTrue(c >= 0 && c <= 1, "confidence " + c);
        assertTrue(Float.isFinite(q.pose().yaw()) && Float.isFinite(q.pose().pitch()) && Float.isFinite(q.pose().roll()));
    }

    FacePrediction assess(BufferedImage img, Box box, boolean flip) {
        return lp.assess(Warp.pixels(img), img.getWidth(), img.getHeight(), List.of(box), flip).get(0);
    }

    @Test
    void aPlainFaceIsTrustedMoreThanEveryDegenerateCase() {
        BufferedImage img = noise(200, 200);
        Landmarks face = drawFace(img, 50, 50, 100);
        for (boolean flip : new boolean[]{true, false}) {
            FacePrediction plain = assess(img, face.bounds(), flip);
            assertValid(plain, 68);
            Box[] bad = {
                    new Box(-60, -60, 120, 120),   // three quarters outside the image
                    new Box(500, 500, 50, 50),     // wholly outside
                    new Box(100, 100, 0, 0),       // zero size
                    new Box(100, 100, -5, 3),      // negative width
                    new Box(100, 100, 3, 3)};      // tiny
            for (Box b : bad) {
                FacePrediction p = assess(img, b, flip);
                assertValid(p, 68);
                assertTrue(p.quality().predictedNme() >= 0.10, b + ": predictedNme " + p.quality().predictedNme());
                assertTrue(p.quality().predictedNme() > plain.quality().predictedNme(), b.toString());
                assertTrue(p.quality().meanConfidence() < 0.5, b + ": mean confidence " + p.quality().meanConfidence());
                assertTrue(p.quality().meanConfidence() < plain.quality().meanConfidence(), b.toString());
            }
        }
    }

    @Test
    void aTenPixelFaceGivesPointsWithLowTrust() {
        BufferedImage img = noise(100, 100);
        Landmarks face = drawFace(img, 45, 45, 10);
        for (boolean flip : new boolean[]{true, false}) {
            FacePrediction p = assess(img, face.bounds(), flip);
            assertValid(p, 68);
            assertTrue(p.quality().predictedNme() >= 0.2, "predictedNme " + p.quality().predictedNme());
            assertTrue(p.quality().meanConfidence() < 0.3, "confidence " + p.quality().meanConfidence());
            Box b = p.points().bounds();   // the points stay near the face
            assertTrue(b.cx() > 30 && b.cx() < 70 && b.cy() > 30 && b.cy() < 70, b.toString());
        }
    }

    @Test
    void pointsOutsideTheImageGetLowConfidence() {
        BufferedImage img = noise(200, 200);
        FacePrediction p = assess(img, new Box(-60, 40, 120, 120), true);
        assertValid(p, 68);
        int outside = 0;
        for (int j = 0; j < 68; j++)
            if (p.points().x(j) < 0) {
                outside++;
                assertTrue(p.quality().confidence(j) <= 0.1f, "point " + j + " outside the image: " + p.quality().confidence(j));
            }
        assertTrue(outside > 0, "some points land outside the image");
    }

    @Test
    void aNonFiniteBoxIsRefused() {
        BufferedImage img = noise(50, 50);
        assertThrows(IllegalArgumentException.class, () -> assess(img, new Box(Float.NaN, 0, 10, 10), true));
    }
}

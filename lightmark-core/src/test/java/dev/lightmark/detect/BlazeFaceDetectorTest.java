package dev.lightmark.detect;

import dev.lightmark.data.FaceSample;
import dev.lightmark.data.PtsFolder;
import dev.lightmark.geometry.Box;
import dev.lightmark.image.Images;
import dev.lightmark.landmarks.Landmarks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BlazeFaceDetectorTest {
    static final Path TEST_COMMON = Path.of("../shared/data/300w/test-common");

    static BlazeFaceDetector detector;
    static LandmarkBoxMapper mapper;

    @BeforeAll static void open() {
        detector = new BlazeFaceDetector();
        mapper = LandmarkBoxMapper.loadDefault();
    }

    @AfterAll static void close() { detector.close(); }

    /** The first few 300-W test faces; skips the calling test when the shared data is absent. */
    static List<FaceSample> testFaces(int n) {
        assumeTrue(Files.isDirectory(TEST_COMMON),
                "300-W test-common not found at " + TEST_COMMON.toAbsolutePath().normalize() + ": skipping tests on real faces");
        List<FaceSample> all = PtsFolder.load(TEST_COMMON, 68).samples();
        assumeTrue(!all.isEmpty(), "no faces in " + TEST_COMMON);
        return all.subList(0, Math.min(n, all.size()));
    }

    static FaceDetection best(List<FaceDetection> faces, Box gt) {
        FaceDetection best = null;
        for (FaceDetection f : faces) if (best == null || f.box().iou(gt) > best.box().iou(gt)) best = f;
        return best;
    }

    @Test void uniformGreyImageHasNoFaces() {
        BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(128, 128, 128));
        g.fillRect(0, 0, 640, 480);
        g.dispose();
        assertEquals(List.of(), detector.detect(img));
    }

    @Test void tinyAndOddlyShapedImagesWork() {
        assertTrue(detector.detect(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB)).isEmpty());
        assertTrue(detector.detect(new BufferedImage(2000, 3, BufferedImage.TYPE_BYTE_GRAY)).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> detector.detect(null));
    }

    @Test void optionsAreChecked() {
        var d = BlazeFaceDetector.Options.defaults();
        assertEquals(BlazeFaceModel.FRONT_128, d.model());
        assertEquals(1, d.intraOpThreads());
        assertThrows(IllegalArgumentException.class, () -> d.withScoreThreshold(1.5f));
        assertThrows(IllegalArgumentException.class, () -> d.withNmsIou(0f));
        assertThrows(IllegalArgumentException.class, () -> d.withIntraOpThreads(0));
        assertThrows(IllegalArgumentException.class, () -> d.withFallback(BlazeFaceModel.FRONT_128));
    }

    @Test void realFacesAreFoundAndMappedToTheLandmarkBox() {
        for (FaceSample s : testFaces(5)) {
            Landmarks lm = s.landmarks();
            Box gt = lm.bounds();
            List<FaceDetection> faces = detector.detect(Images.read(s.image()));
            assertFalse(faces.isEmpty(), "no face in " + s.image());
            FaceDetection f = best(faces, gt);
            Box mapped = mapper.toLandmarkBox(f);
            assertTrue(mapped.iou(gt) > 0.5f, s.image() + ": mapped IoU " + mapped.iou(gt));
            assertTrue(mapped.iou(gt) >= f.box().iou(gt) - 0.05f, "mapping should not make the box worse");
            assertTrue(f.score() > 0.5f && f.score() <= 1f);

            // Key point naming: subject's right eye (300-W points 36-41) is on the image left.
            float[] rEye = lm.centroid(new int[]{36, 37, 38, 39, 40, 41});
            float[] lEye = lm.centroid(new int[]{42, 43, 44, 45, 46, 47});
            float tol = 0.1f * gt.w();
            assertEquals(rEye[0], f.keypointX(FaceDetection.RIGHT_EYE), tol, s.image() + " right eye x");
            assertEquals(rEye[1], f.keypointY(FaceDetection.RIGHT_EYE), tol, s.image() + " right eye y");
            assertEquals(lEye[0], f.keypointX(FaceDetection.LEFT_EYE), tol, s.image() + " left eye x");
            assertEquals(lEye[1], f.keypointY(FaceDetection.LEFT_EYE), tol, s.image() + " left eye y");
            assertTrue(f.keypointX(FaceDetection.RIGHT_EAR) < f.keypointX(FaceDetection.LEFT_EAR));
            assertTrue(f.keypointY(FaceDetection.MOUTH_CENTER) > f.keypointY(FaceDetection.NOSE_TIP));
        }
    }

    @Test void twoCopiesOfAFaceGiveTwoFaces() {
        FaceSample s = testFaces(1).get(0);
        BufferedImage one = Images.read(s.image());
        assertEquals(1, detector.detect(one).size(), "the single image should hold one detectable face");
        int w = one.getWidth(), h = one.getHeight();
        BufferedImage two = new BufferedImage(2 * w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = two.createGraphics();
        g.drawImage(one, 0, 0, null);
        g.drawImage(one, w, 0, null);
        g.dispose();
        List<FaceDetection> faces = detector.detect(two);
        assertEquals(2, faces.size(), "faces: " + faces);
        Box gt = s.landmarks().bounds();
        Box gt2 = new Box(gt.x() + w, gt.y(), gt.w(), gt.h());
        assertTrue(mapper.toLandmarkBox(best(faces, gt)).iou(gt) > 0.5f);
        assertTrue(mapper.toLandmarkBox(best(faces, gt2)).iou(gt2) > 0.5f);
        assertNotSame(best(faces, gt), best(faces, gt2));
    }

    @Test void concurrentCallsGiveTheSameResult() throws Exception {
        FaceSample s = testFaces(1).get(0);
        BufferedImage img = Images.read(s.image());
        List<FaceDetection> expected = detector.detect(img);
        ExecutorService ex = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<FaceDetection>>> fs = ex.invokeAll(
                    java.util.Collections.nCopies(6, () -> detector.detect(img)));
            for (Future<List<FaceDetection>> f : fs) assertEquals(expected, f.get());
        } finally {
            ex.shutdown();
        }
    }

    @Test void backModelAndFallbackAlsoFindTheFace() {
        FaceSample s = testFaces(1).get(0);
        BufferedImage img = Images.read(s.image());
        Box gt = s.landmarks().bounds();
        var opts = BlazeFaceDetector.Options.defaults().withFallback(BlazeFaceModel.BACK_256);
        try (BlazeFaceDetector back = new BlazeFaceDetector(BlazeFaceModel.BACK_256);
             BlazeFaceDetector both = new BlazeFaceDetector(opts)) {
            FaceDetection f = best(back.detect(img), gt);
            assertNotNull(f);
            assertTrue(LandmarkBoxMapper.loadDefault(BlazeFaceModel.BACK_256).toLandmarkBox(f).iou(gt) > 0.5f);
            assertEquals(detector.detect(img), both.detect(img));   // front finds it: no fallback run
            // A blank image runs both models and still finds nothing.
            assertTrue(both.detect(new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB)).isEmpty());
        }
    }
}

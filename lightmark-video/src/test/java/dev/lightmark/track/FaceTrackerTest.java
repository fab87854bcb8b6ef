package dev.lightmark.track;

import dev.lightmark.eval.Jitter;
import dev.lightmark.geometry.Box;
import dev.lightmark.infer.FaceResult;
import dev.lightmark.eval.Nme;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.testdata.SyntheticFaces;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The tracker's logic against a scripted world: fake detector and fake landmark model. */
class FaceTrackerTest {
    private static final BufferedImage FRAME = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    private static final double DT = 1 / 30.0;

    /** Faces of the current frame (true points), what the fake detector sees, and call counts. */
    static final class World {
        final List<Landmarks> faces = new ArrayList<>();
        boolean detectorBlind;
        int glitches; // the next N model calls read garbage
        int detectorCalls;
        final Random noise = new Random(11);
        double noisePx = 0;

        FaceFinder finder() {
            return img -> {
                detectorCalls++;
                List<FaceResult> out = new ArrayList<>();
                if (detectorBlind) return out;
                for (Landmarks f : faces) {
                    Box b = f.bounds(); // a detector box a little off the tight box
                    Box lb = new Box(b.x() + 0.05f * b.w(), b.y() - 0.05f * b.h(), b.w() * 1.1f, b.h());
                    out.add(new FaceResult(lb, 0.9f, lb, null));
                }
                return out;
            };
        }

        /** The true face under a box (plus noise), or a crumpled non-face shape when none is there. */
        PointPredictor model() {
            return (img, boxes) -> {
                List<Landmarks> out = new ArrayList<>();
                boolean glitch = glitches > 0 && glitches-- > 0;
                for (Box box : boxes) {
                    Landmarks best = null;
                    float bestIou = 0.3f;
                    for (Landmarks f : faces)
                        if (f.bounds().iou(box) > bestIou) { bestIou = f.bounds().iou(box); best = f; }
                    out.add(best == null || glitch ? crumpled(box) : noisy(best));
                }
                return out;
            };
        }

        private Landmarks noisy(Landmarks f) {
            float[] xy = f.toArray();
            for (int i = 0; i < xy.length; i++) xy[i] += (float) (noise.nextGaussian() * noisePx);
            return new Landmarks(xy);
        }

        private Landmarks crumpled(Box box) {
            float[] xy = new float[136];
            Random r = new Random(5);
            for (int i = 0; i < 68; i++) {
                xy[2 * i] = box.x() + r.nextFloat() * box.w();
                xy[2 * i + 1] = box.y() + r.nextFloat() * box.h();
            }
            return new Landmarks(xy);
        }
    }

    static Landmarks face(float cx, float cy, float size) {
        float[] t = SyntheticFaces.template();
        for (int i = 0; i < 68; i++) {
            t[2 * i] = cx + (t[2 * i] - 0.5f) * size;
            t[2 * i + 1] = cy + (t[2 * i + 1] - 0.5f) * size;
        }
        return new Landmarks(t);
    }

    private static TrackerOptions raw(int detectEvery) {
        return TrackerOptions.defaults().withSmoothing(null).withDetectEvery(detectEvery);
    }

    @Test
    void aMovingFaceIsDetectedOnceAndFollowed() {
        World w = new World();
        FaceTracker tr = new FaceTracker(w.finder(), w.model(), raw(0));
        for (int i = 0; i < 40; i++) {
            w.faces.clear();
            w.faces.add(face(100 + 3 * i, 120 + i, 80));
            List<TrackedFace> out = tr.next(FRAME, i * DT);
            assertEquals(1, out.size());
            assertEquals(1, out.get(0).id());
            assertEquals(i == 0, out.get(0).detected());
            assertEquals(w.faces.get(0), out.get(0).points());
        }
        assertEquals(1, w.detectorCalls);
        assertEquals(1, tr.detectorRuns());
    }

    @Test
    void theDetectorAlsoRunsEveryNFrames() {
        World w = new World();
        w.faces.add(face(100, 100, 80));
        FaceTracker tr = new FaceTracker(w.finder(), w.model(), raw(10));
        for (int i = 0; i < 30; i++) assertEquals(1, tr.next(FRAME, i * DT).get(0).id());
        assertEquals(3, w.detectorCalls); // frames 0, 10, 20
    }

    @Test
    void aGlitchLosesTheTrackAndTheDetectorRestartsItUnderTheSameId() {
        World w = new World();
        w.faces.add(face(100, 100, 80));
        FaceTracker tr = new FaceTracker(w.finder(), w.model(), raw(0));
        for (int i = 0; i < 5; i++) tr.next(FRAME, i * DT);
        w.glitches = 1;                  // the model reads garbage from the tracked crop once
        List<TrackedFace> out = tr.next(FRAME, 5 * DT);
        assertEquals(1, tr.lostTracks());
        assertEquals(2, w.detectorCalls, "a lost track makes the detector run");
        assertEquals(1, out.size());
        assertEquals(1, out.get(0).id(), "re-found where it was: same id");
        assertTrue(out.get(0).detected());
        assertEquals(w.faces.get(0), out.get(0).points());
        assertFalse(tr.next(FRAME, 6 * DT).get(0).detected());
        assertEquals(2, w.detectorCalls);
    }

    @Test
    void aFaceThatLeavesIsDroppedAndANewOneGetsANewId() {
        World w = new World();
        w.faces.add(face(100, 100, 80));
        FaceTracker tr = new FaceTracker(w.finder(), w.model(), raw(0));
        for (int i = 0; i < 5; i++) tr.next(FRAME, i * DT);
        w.faces.clear();                           // gone: the crop shows no face
        assertTrue(tr.next(FRAME, 5 * DT).isEmpty());
        int calls = w.detectorCalls;
        assertTrue(tr.next(FRAME, 6 * DT).isEmpty());
        assertEquals(calls + 1, w.detectorCalls, "nothing tracked: the detector runs every frame");
        w.faces.add(face(300, 100, 80));
        List<TrackedFace> out = tr.next(FRAME, 7 * DT);
        assertEquals(1, out.size());
        assertEquals(2, out.get(0).id());
    }

    @Test
    void twoFacesKeepTheirIdsAndALateComerIsFoundAtTheNextDetection() {
        World w = new World();
        w.faces.add(face(100, 100, 80));
        w.faces.add(face(300, 110, 60));
        FaceTracker tr = new FaceTracker(w.finder(), w.model(), raw(5));
        for (int i = 0; i < 20; i++) {
            w.faces.set(0, face(100 + 2 * i, 100, 80));
            w.faces.set(1, face(300 - 2 * i, 110, 60));
            if (i == 12) w.faces.add(face(200, 300, 70));
            if (i > 12) w.faces.set(2, face(200, 300 - i, 70));
            List<TrackedFace> out = tr.next(FRAME, i * DT);
            assertEquals(i < 15 ? 2 : 3, out.size(), "frame " + i);
            assertEquals(w.faces.get(0), out.get(0).points());
            assertEquals(1, out.get(0).id());
            assertEquals(w.faces.get(1), out.get(1).points());
            assertEquals(2, out.get(1).id());
            if (out.size() == 3) assertEquals(3, out.get(2).id());
        }
    }

    @Test
    void aFaceTheDetectorStopsConfirmingIsDroppedAfterMaxMisses() {
        World w = new World();
        w.faces.add(face(100, 100, 80));
        FaceTracker tr = new FaceTracker(w.finder(), w.model(), raw(2));
        tr.next(FRAME, 0);
        w.detectorBlind = true;
        assertEquals(1, tr.next(FRAME, DT).size());
        assertEquals(1, tr.next(FRAME, 2 * DT).size(), "one miss is forgiven");
        assertEquals(1, tr.next(FRAME, 3 * DT).size());
        assertTrue(tr.next(FRAME, 4 * DT).isEmpty(), "the second miss in a row drops it");
    }

    @Test
    void smoothingCalmsTheOutputAndLeavesTheRawPointsAlone() {
        World w = new World();
        w.noisePx = 1.5;
        w.faces.add(face(200, 200, 100));
        FaceTracker tr = new FaceTracker(w.finder(), w.model(), TrackerOptions.defaults().withDetectEvery(0));
        Jitter.Mean raw = new Jitter.Mean(), smooth = new Jitter.Mean();
        TrackedFace prev = null;
        double err = 0;
        for (int i = 0; i < 60; i++) {
            TrackedFace f = tr.next(FRAME, i * DT).get(0);
            if (prev != null) {
                raw.add(prev.raw(), f.raw());
                smooth.add(prev.points(), f.points());
            }
            if (i >= 30) err += Nme.meanError(f.points(), w.faces.get(0)) / 30;
            prev = f;
        }
        assertTrue(smooth.mean() < 0.5 * raw.mean(), smooth.mean() + " vs " + raw.mean());
        assertTrue(err < 1.4, "smoothed points stay on the face, closer than the raw ones (about 1.9 px): " + err + " px");
    }

    @Test
    void aSceneCutDropsTracksTheDetectorDoesNotConfirm() {
        World w = new World();
        w.faces.add(face(100, 100, 80));
        FaceTracker tr = new FaceTracker(w.finder(), w.model(), raw(0));
        BufferedImage dark = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        BufferedImage bright = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 48; y++) for (int x = 0; x < 64; x++) bright.setRGB(x, y, 0xC0C0C0);
        for (int i = 0; i < 3; i++) assertEquals(1, tr.next(dark, i * DT).size());
        w.detectorBlind = true; // the new shot has no face the detector can see; the model would still draw one
        assertTrue(tr.next(bright, 3 * DT).isEmpty());
        assertEquals(1, tr.sceneCuts());
    }
}

package dev.lightmark.detect;

import dev.lightmark.geometry.Box;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class LandmarkBoxMapperTest {

    /** A plausible upright detection at (x, y) of size s, key points jittered by rnd. */
    static FaceDetection face(float x, float y, float s, Random rnd) {
        float[] rel = {0.3f, 0.3f, 0.7f, 0.3f, 0.5f, 0.5f, 0.5f, 0.75f, 0.05f, 0.4f, 0.95f, 0.4f};
        float[] kp = new float[12];
        for (int i = 0; i < 12; i++) kp[i] = (i % 2 == 0 ? x : y) + s * (rel[i] + 0.03f * (float) rnd.nextGaussian());
        return new FaceDetection(new Box(x, y, s, s), 0.9f, kp);
    }

    @Test void identityKeepsTheBox() {
        FaceDetection d = face(10, 20, 100, new Random(1));
        Box b = LandmarkBoxMapper.identity().toLandmarkBox(d);
        assertEquals(d.box().x(), b.x(), 1e-3);
        assertEquals(d.box().y(), b.y(), 1e-3);
        assertEquals(d.box().w(), b.w(), 1e-3);
        assertEquals(d.box().h(), b.h(), 1e-3);
    }

    @Test void boxFitRecoversConstantOffsetAndScale() {
        Random rnd = new Random(2);
        List<FaceDetection> dets = new ArrayList<>();
        List<Box> gts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            float s = 50 + 200 * rnd.nextFloat();
            FaceDetection d = face(500 * rnd.nextFloat(), 500 * rnd.nextFloat(), s, rnd);
            dets.add(d);
            // truth: centre 10% of the width right and 5% of the height down, 1.2 x wider, 1.1 x taller
            float w = 1.2f * s, h = 1.1f * s;
            gts.add(new Box(d.box().cx() + 0.1f * s - w / 2, d.box().cy() + 0.05f * s - h / 2, w, h));
        }
        LandmarkBoxMapper m = LandmarkBoxMapper.fit(dets, gts, LandmarkBoxMapper.Features.BOX, 0, Map.of());
        for (int i = 0; i < 5; i++) {
            Box p = m.toLandmarkBox(dets.get(i)), g = gts.get(i);
            assertEquals(1f, p.iou(g), 1e-4);
        }
    }

    @Test void keypointFitUsesTheKeypoints() {
        // Truth depends on where the mouth sits in the box: a box-only model cannot capture it.
        Random rnd = new Random(3);
        List<FaceDetection> dets = new ArrayList<>();
        List<Box> gts = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            FaceDetection d = face(100, 100, 100, rnd);
            float mouthV = (d.keypointY(FaceDetection.MOUTH_CENTER) - d.box().cy()) / d.box().h();
            float h = d.box().h() * (float) Math.exp(2 * (mouthV - 0.25f));
            gts.add(new Box(d.box().x(), d.box().cy() - h / 2, d.box().w(), h));
            dets.add(d);
        }
        List<FaceDetection> trD = dets.subList(0, 300), teD = dets.subList(300, 400);
        List<Box> trG = gts.subList(0, 300), teG = gts.subList(300, 400);
        LandmarkBoxMapper box = LandmarkBoxMapper.fit(trD, trG, LandmarkBoxMapper.Features.BOX, 1e-3, Map.of());
        LandmarkBoxMapper kp = LandmarkBoxMapper.fit(trD, trG, LandmarkBoxMapper.Features.KEYPOINTS, 1e-4, Map.of());
        double iouBox = 0, iouKp = 0;
        for (int i = 0; i < teD.size(); i++) {
            iouBox += box.toLandmarkBox(teD.get(i)).iou(teG.get(i));
            iouKp += kp.toLandmarkBox(teD.get(i)).iou(teG.get(i));
        }
        assertTrue(iouKp / 100 > 0.99, "keypoint model IoU " + iouKp / 100);
        assertTrue(iouKp > iouBox, "keypoint model should beat the box-only one");
    }

    @Test void savesAndLoadsTheSameMapping(@TempDir Path dir) {
        Random rnd = new Random(4);
        List<FaceDetection> dets = new ArrayList<>();
        List<Box> gts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            FaceDetection d = face(50, 60, 80 + i, rnd);
            dets.add(d);
            gts.add(new Box(d.box().x() - 5, d.box().y() + 3, d.box().w() * 1.1f, d.box().h() * 0.9f));
        }
        LandmarkBoxMapper m = LandmarkBoxMapper.fit(dets, gts, LandmarkBoxMapper.Features.KEYPOINTS, 1e-3,
                Map.of("trainedOn", "synthetic"));
        Path f = dir.resolve("m.json");
        m.save(f);
        LandmarkBoxMapper back = LandmarkBoxMapper.load(f);
        assertEquals(m.features(), back.features());
        assertEquals("synthetic", back.provenance().get("trainedOn"));
        for (FaceDetection d : dets.subList(0, 10)) assertEquals(m.toLandmarkBox(d), back.toLandmarkBox(d));
    }

    @Test void bundledMappingsLoad() {
        LandmarkBoxMapper m = LandmarkBoxMapper.loadDefault();
        assertEquals(LandmarkBoxMapper.Features.KEYPOINTS, m.features());
        assertEquals("FRONT_128", m.provenance().get("detector"));
        assertEquals("BACK_256", LandmarkBoxMapper.loadDefault(BlazeFaceModel.BACK_256).provenance().get("detector"));
        // The tight landmark box of a typical upright face is wider than BlazeFace's box and about as tall.
        Box b = m.toLandmarkBox(face(100, 100, 100, new Random(5)));
        assertTrue(b.w() > 80 && b.w() < 130 && b.h() > 70 && b.h() < 130, b.toString());
    }

    @Test void rejectsForeignJson() {
        String bad = "{\"format\":\"something-else\"}";
        assertThrows(IOException.class,
                () -> LandmarkBoxMapper.load(new ByteArrayInputStream(bad.getBytes(StandardCharsets.UTF_8))));
        String shortCoef = "{\"format\":\"lightmark-box-mapping/1\",\"features\":\"BOX\",\"featureMean\":[],"
                + "\"featureScale\":[],\"coefficients\":[[0],[0]]}";
        assertThrows(IOException.class,
                () -> LandmarkBoxMapper.load(new ByteArrayInputStream(shortCoef.getBytes(StandardCharsets.UTF_8))));
    }
}

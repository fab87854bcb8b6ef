package dev.lightmark.track;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lightmark.geometry.Box;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.quality.FacePose;
import dev.lightmark.quality.FaceQuality;
import dev.lightmark.quality.TrustPolicy;
import dev.lightmark.testdata.SyntheticFaces;
import dev.lightmark.video.VideoFrame;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Video JSONL lines carry each face's predicted NME, doubtful mark, pose (of the output points) and confidences. */
class VideoQualityTest {
    static TrackedFace face(int id, double predictedNme) {
        float[] t = SyntheticFaces.template();
        for (int i = 0; i < t.length; i++) t[i] = 100 + 80 * t[i];
        Landmarks lm = new Landmarks(t);
        float[] conf = new float[68];
        Arrays.fill(conf, 0.8f);
        conf[0] = 0.1f;
        return new TrackedFace(id, lm.bounds(), lm, lm, false, 0.9f,
                new FaceQuality(predictedNme, conf, new FacePose(40, 0, 0), false));
    }

    @Test
    void recordsHoldTheQualityFieldsAndThePolicyMarksOrDrops() {
        VideoFrame frame = new VideoFrame(3, 0.1, new BufferedImage(300, 300, BufferedImage.TYPE_INT_RGB));
        List<TrackedFace> faces = List.of(face(1, 0.04), face(2, 0.2));
        List<TrackedFace> marked = VideoTracking.trusted(faces, TrustPolicy.DEFAULT);
        JsonNode rec = VideoTracking.record(frame, marked);
        assertEquals(2, rec.get("faces").size());
        JsonNode a = rec.get("faces").get(0), b = rec.get("faces").get(1);
        assertEquals(0.04, a.get("predictedNme").asDouble(), 1e-9);
        assertFalse(a.get("doubtful").asBoolean());
        assertTrue(b.get("doubtful").asBoolean());
        assertEquals(68, a.get("confidence").size());
        assertEquals(0.1, a.get("confidence").get(0).asDouble(), 1e-9);
        // pose is refitted from the output points (a frontal template), not copied from the raw reading
        assertTrue(Math.abs(a.get("pose").get("yaw").asDouble()) < 20, a.get("pose").toString());

        List<TrackedFace> kept = VideoTracking.trusted(faces, new TrustPolicy(0.10, true));
        assertEquals(1, kept.size());
        assertEquals(1, kept.get(0).id());

        TrackedFace bare = new TrackedFace(5, new Box(0, 0, 1, 1), faces.get(0).points(), faces.get(0).raw(), true, 0.5f);
        JsonNode plain = VideoTracking.record(frame, VideoTracking.trusted(List.of(bare), TrustPolicy.DEFAULT)).get("faces").get(0);
        assertFalse(plain.has("predictedNme"), "no quality known, no fields");
    }
}

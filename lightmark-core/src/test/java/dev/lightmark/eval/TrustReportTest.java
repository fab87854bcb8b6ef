package dev.lightmark.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lightmark.quality.FacePose;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TrustReportTest {
    static TrustReport.Face face(double nme, double predicted, float trueYaw, float predictedYaw) {
        return new TrustReport.Face("f", nme, predicted, new FacePose(trueYaw, 0, 0), new FacePose(predictedYaw, 2, -1),
                new double[]{nme, 2 * nme}, new float[]{0.9f, nme > 0.05 ? 0.2f : 0.8f});
    }

    @Test
    void bucketsFacesByGroundTruthYawWithNmeAndFailureRate() {
        List<TrustReport.Face> f = new ArrayList<>();
        f.add(face(0.03, 0.03, 5, 6));
        f.add(face(0.04, 0.05, -10, -12));
        f.add(face(0.06, 0.06, 20, 20));
        f.add(face(0.12, 0.11, -35, -30));
        f.add(face(0.08, 0.09, 40, 41));
        f.add(face(0.20, 0.15, 60, 50));
        f.add(face(0.05, 0.12, -50, -45));
        TrustReport r = TrustReport.ofFaces(f);
        List<TrustReport.Bucket> b = r.buckets();
        assertEquals(4, b.size());
        assertArrayEquals(new int[]{2, 1, 2, 2}, b.stream().mapToInt(TrustReport.Bucket::count).toArray());
        assertEquals(0.035, b.get(0).meanNme(), 1e-9);
        assertEquals(0.0, b.get(0).failureRate(), 1e-9);
        assertEquals(0.5, b.get(2).failureRate(), 1e-9);        // 0.12 fails, 0.08 does not
        assertEquals(0.5, b.get(3).failureRate(), 1e-9);
        assertEquals(7.5, b.get(3).yawError(), 1e-6);            // |60-50| and |-50+45|
        assertEquals("|yaw| >= 45", b.get(3).label());
        assertEquals(0.125, r.buckets().get(3).meanNme(), 1e-9);
        // two failures, predicted 0.11 and 0.15; one non-failure predicted above both (0.12)
        assertEquals((5 + 4) / 10.0, r.failureAuc(0.10), 1e-9);
        assertTrue(r.spearman() > 0.6);
        double[] pose = r.poseError();
        assertEquals(2, pose[1], 1e-6);
        assertEquals(1, pose[2], 1e-6);
        JsonNode j = r.toJsonNode();
        assertEquals(4, j.get("yawBuckets").size());
        assertEquals(2, j.get("yawBuckets").get(3).get("count").asInt());
        assertTrue(j.get("yawBuckets").get(3).get("to").isNull());
        assertTrue(j.has("spearman") && j.has("failureAuc") && j.has("poseError") && j.has("pointConfidenceAuc"));
        assertTrue(r.lines().stream().anyMatch(l -> l.contains("|yaw| >= 45") && l.contains("FR@0.10 50.0%")), r.lines().toString());
    }

    @Test
    void emptyBucketsAndMissingFailuresAreReportedNotFailed() {
        TrustReport r = TrustReport.ofFaces(List.of(face(0.03, 0.04, 2, 3), face(0.04, 0.03, 4, 3)));
        assertTrue(Double.isNaN(r.failureAuc(0.10)));
        assertEquals(0, r.buckets().get(3).count());
        assertTrue(r.toJsonNode().get("failureAuc").isNull());
        assertTrue(r.lines().stream().anyMatch(l -> l.contains("0 faces")));
    }
}

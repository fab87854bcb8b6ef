package dev.lightmark.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvalReportTest {
    @Test
    void allZeroErrorsGiveAucOneAndNoFailures() {
        EvalReport r = EvalReport.ofErrors("perfect", Normalizer.INTER_OCULAR, 0, 0, 0);
        assertEquals(1.0, r.auc(0.08), 0.0);
        assertEquals(1.0, r.auc(0.10), 0.0);
        assertEquals(0.0, r.failureRate(0.08), 0.0);
        assertEquals(0.0, r.meanNme(), 0.0);
    }

    @Test
    void allErrorsAboveThresholdGiveAucZeroAndFailureRateOne() {
        EvalReport r = EvalReport.ofErrors("bad", Normalizer.INTER_OCULAR, 0.2, 0.15, 0.11);
        assertEquals(0.0, r.auc(0.08), 0.0);
        assertEquals(0.0, r.auc(0.10), 0.0);
        assertEquals(1.0, r.failureRate(0.08), 0.0);
        assertEquals(1.0, r.failureRate(0.10), 0.0);
        assertEquals(3, r.failures(0.10));
    }

    @Test
    void handComputedRatesAndAuc() {
        EvalReport r = EvalReport.ofErrors("m", Normalizer.INTER_OCULAR, 0.02, 0.08, 0.09, 0.20);
        // FR: strictly above the threshold; 0.08 itself is not a failure
        assertEquals(0.5, r.failureRate(0.08), 0.0);
        assertEquals(0.25, r.failureRate(0.10), 0.0);
        // AUC@0.10 = sum(max(0, 0.10 - e)) / (0.10 * 4) = (0.08 + 0.02 + 0.01) / 0.4
        assertEquals(0.275, r.auc(0.10), 1e-12);
        // AUC@0.08 = 0.06 / (0.08 * 4)
        assertEquals(0.1875, r.auc(0.08), 1e-12);
        assertEquals(0.0975, r.meanNme(), 1e-12);
        assertEquals(0.085, r.medianNme(), 1e-12);
        assertEquals(0.20, r.maxNme(), 0.0);
        assertEquals(0.5, r.ced(0.08), 0.0);
        // two faces: 0 and 0.04 -> CED is 1/2 on [0, 0.04), 1 on [0.04, 0.08]: area 0.02 + 0.04 = 0.06 of 0.08
        assertEquals(0.75, EvalReport.ofErrors("two", null, 0.0, 0.04).auc(0.08), 1e-12);
    }

    @Test
    void aucMatchesFineNumericalIntegration() {
        Random rnd = new Random(7);
        double[] e = new double[137];
        for (int i = 0; i < e.length; i++) e[i] = Math.abs(rnd.nextGaussian() * 0.04 + 0.035);
        EvalReport r = EvalReport.ofErrors("rnd", Normalizer.INTER_OCULAR, e);
        int steps = 400_000;
        double t = 0.08, h = t / steps, area = 0;
        for (int k = 0; k < steps; k++) area += r.ced((k + 0.5) * h) * h; // midpoint rule
        assertEquals(area / t, r.auc(t), 1e-4);
    }

    @Test
    void oddMedianWorstFacesAndBuilder() {
        EvalReport.Builder b = EvalReport.builder("b", Normalizer.INTER_OCULAR)
                .add("a", 0.03).add("b", 0.12).add("c", 0.01);
        Landmarks gt = new Landmarks(new float[]{0, 0, 100, 0, 50, 30, 20, 60, 80, 60});
        Landmarks pred = new Landmarks(new float[]{3, 4, 103, 4, 53, 34, 23, 64, 83, 64});
        assertEquals(0.05, b.add("d", pred, gt, LandmarkScheme.FIVE), 1e-9);
        EvalReport r = b.build();
        assertEquals(4, r.count());
        assertEquals(0.04, r.medianNme(), 1e-9);
        List<EvalReport.FaceError> worst = r.worst(2);
        assertEquals("b", worst.get(0).id());
        assertEquals("d", worst.get(1).id());
        assertEquals(List.of("a", "b", "c", "d"), r.faces().stream().map(EvalReport.FaceError::id).toList());
        assertEquals(0.03, EvalReport.ofErrors("odd", null, 0.05, 0.01, 0.03).medianNme(), 0.0);
    }

    @Test
    void jsonAndSummary() throws Exception {
        EvalReport r = EvalReport.ofErrors("hrnet-w18", Normalizer.INTER_OCULAR, 0.02, 0.08, 0.09, 0.20);
        JsonNode j = new ObjectMapper().readTree(r.toJson());
        assertEquals("hrnet-w18", j.get("name").asText());
        assertEquals("INTER_OCULAR", j.get("normalizer").asText());
        assertEquals(4, j.get("count").asInt());
        assertEquals(0.0975, j.get("meanNme").asDouble(), 1e-12);
        assertEquals(0.5, j.get("failureRate").get("0.08").asDouble(), 0.0);
        assertEquals(1, j.get("failures").get("0.10").asInt());
        assertEquals(0.275, j.get("auc").get("0.10").asDouble(), 1e-12);
        assertFalse(j.has("faces"));
        JsonNode full = new ObjectMapper().readTree(r.toJson(true));
        assertEquals(4, full.get("faces").size());
        assertEquals("#3", full.get("faces").get(3).get("id").asText());
        assertEquals("hrnet-w18: NME 9.75% | FR@0.08 50.0% | FR@0.10 25.0% | AUC@0.08 18.8% | AUC@0.10 27.5% (4 faces)",
                r.summary());
    }

    @Test
    void invalidInputsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> EvalReport.ofErrors("none", null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvalReport.of("nan", null, List.of(new EvalReport.FaceError("img_7", Double.NaN))));
        assertTrue(e.getMessage().contains("img_7"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EvalReport.ofErrors("neg", null, -0.1));
        assertThrows(IllegalArgumentException.class, () -> EvalReport.ofErrors("x", null, 0.1).auc(0));
    }
}

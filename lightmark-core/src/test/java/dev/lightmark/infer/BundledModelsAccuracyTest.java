package dev.lightmark.infer;

import dev.lightmark.data.FaceSample;
import dev.lightmark.data.PtsFolder;
import dev.lightmark.eval.ModelEvaluation;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The bundled models as packaged (int8 files, an ensemble, flip defaults) still score what
 * BENCHMARKS.md says on the 101 held-out validation faces of 300-W train, with the GT box: each
 * within 0.06 points of its measured NME (int8 results differ a little between CPUs). A broken
 * file, a wrong decoder setting or a bad quantisation would miss by far more, and a model without
 * its point calibration by 0.08-0.17 points. Skips without ../shared/data.
 */
class BundledModelsAccuracyTest {
    private static final String VALIDATION = "../shared/data/300w/train@configs/quality/300w-train-val-faces.txt";
    /** Validation NME (inter-ocular, GT box, each model's own flip default) from BENCHMARKS.md. */
    private static final Map<String, Double> MEASURED = Map.of("default", 0.0340, "balanced", 0.0368, "accurate", 0.0323, "video", 0.0387, "fast", 0.0396);

    @Test
    void eachBundledModelScoresItsMeasuredValidationNme() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("../shared/data/300w/train")), "../shared/data is absent: skipping the accuracy check");
        List<FaceSample> faces = PtsFolder.loadSelection(VALIDATION, 68).samples();
        assertEquals(101, faces.size(), "the validation list");
        assertEquals(MEASURED.keySet(), BundledModels.all().keySet(), "every bundled model has a measured number here");
        for (String name : BundledModels.all().keySet())
            try (LandmarkPredictor p = LandmarkPredictor.load(Path.of(name), 1)) {
                double nme = ModelEvaluation.run(name, p, faces, ModelEvaluation.BoxSource.GROUND_TRUTH, null).interOcular().meanNme();
                System.out.printf(Locale.ROOT, "%s: validation NME %.2f %% (BENCHMARKS: %.2f %%)%n", name, 100 * nme, 100 * MEASURED.get(name));
                assertTrue(Math.abs(nme - MEASURED.get(name)) < 0.0006, name + " scores " + nme + " against " + MEASURED.get(name));
            }
    }
}

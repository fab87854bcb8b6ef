package dev.lightmark.train;

import dev.lightmark.augment.CropPolicy;
import dev.lightmark.data.FaceSample;
import dev.lightmark.data.PtsFolder;
import dev.lightmark.image.Images;
import dev.lightmark.image.Warp;
import dev.lightmark.infer.ModelSpec;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Network inputs for calibration (int8 ranges, batch-norm statistics of imported weights): faces of a labelled folder cut as the predictor cuts them
 * (the tight box of the points, the model's crop policy, no augmentation), picked evenly across
 * the folder's sorted list so the choice is repeatable and spans its sources.
 */
public final class CalibrationFaces {
    /** The crops, (count, 3, S, S) flat, and where they came from (for the model's metadata). */
    public record Inputs(float[] data, int count, String source) {}

    private CalibrationFaces() {}

    /**
     * @param folder {@code DIR} or {@code DIR@LIST}, as training's {@code extraTrainDirs}; use
     *               training faces, never the folders the model is tested on
     */
    public static Inputs from(String folder, int count, ModelSpec spec) {
        if (count < 1) throw new IllegalArgumentException("calibration needs at least one face, not " + count);
        List<FaceSample> all = PtsFolder.loadSelection(folder, spec.points).samples();
        if (all.isEmpty()) throw new IllegalArgumentException("no usable faces in " + folder);
        int n = Math.min(count, all.size()), s = spec.inputSize, side = 3 * s * s;
        CropPolicy policy = new CropPolicy(s, spec.cropScale);
        float[] data = new float[n * side];
        for (int i = 0; i < n; i++) {
            FaceSample f = all.get((int) ((long) i * all.size() / n));
            BufferedImage img = Images.read(f.image());
            Warp.toNetworkInput(Warp.pixels(img), img.getWidth(), img.getHeight(), policy.toCrop(f.faceBox(), 0f), s, data, i * side, -1);
        }
        return new Inputs(data, n, n + " faces of " + folder);
    }
}

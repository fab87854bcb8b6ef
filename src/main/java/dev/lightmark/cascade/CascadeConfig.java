package dev.lightmark.cascade;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.lightmark.io.JsonConfigs;
import dev.lightmark.model.cascade.CascadeSpec;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Everything a cascade training run depends on, stored beside its checkpoints (configs/cascade-*.json).
 * The validation split follows the PFLD trainer's convention: {@code valFraction} of the training
 * folder, chosen by {@code seed}, never the test set.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public class CascadeConfig {
    public String trainDir = "../shared/data/300w/train";
    public float valFraction = 0.05f;
    /** Use at most this many training faces (0 = all); for smoke tests. */
    public int maxSamples = 0;
    /** Stage layout and widths (saved into the model file). */
    public CascadeSpec model = new CascadeSpec();
    /** Crop side in pixels (level 0 of the patch pyramid). */
    public int inputSize = 128;
    /** Crop side = cropScale * max(w, h) of the face box, as PFLD, so detector boxes map the same way. */
    public float cropScale = 1.25f;
    public int epochs = 30;
    public int batchSize = 32;
    public float learningRate = 2e-3f;
    public float minLearningRate = 1e-5f;
    public int warmupEpochs = 1;
    public float weightDecay = 1e-5f;
    /** Weight of the error head's squared-error loss beside the landmark loss (the heads do not share gradients). */
    public float errorWeight = 1f;
    /**
     * Gaussian noise (crop units, per coordinate) added to the shape a later stage starts from in
     * training, so it also learns to fix the larger errors of unseen faces.
     */
    public float shapeNoise = 0.005f;
    public float shift = 0.06f;
    public float scaleJitter = 0.1f;
    public float rotationDeg = 30f;
    public float flipProbability = 0.5f;
    public float colourJitter = 0.3f;
    public long seed = 42;
    public int threads = 1;
    /** Also save a checkpoint every this many steps inside an epoch (0 = only at epoch ends). */
    public int checkpointEverySteps = 0;


    public static CascadeConfig read(Path file) { return JsonConfigs.read(file, CascadeConfig.class, "cascade config"); }

    public void write(Path file) throws IOException { JsonConfigs.write(file, this); }

    public String toJson() { return JsonConfigs.toJson(this); }
}

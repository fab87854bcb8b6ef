package dev.lightmark.model.cascade;

import dev.lightmark.io.JsonConfigs;
import dev.lightmark.train.CommonTrainingConfig;

import java.nio.file.Path;

/**
 * Everything a cascade training run depends on, stored beside its checkpoints (configs/cascade-*.json).
 * The validation split follows the PFLD trainer's convention: {@code valFraction} of the training
 * folder, chosen by {@code seed}, never the test set. The crop (cropScale) is PFLD's, so detector
 * boxes map the same way; weightDecay is AdamW's (decoupled).
 */
@com.fasterxml.jackson.annotation.JsonPropertyOrder({"architecture"})
public class CascadeConfig extends CommonTrainingConfig {
    public String architecture = CascadeArchitecture.NAME;
    /** Stage layout and widths (saved into the model file). */
    public CascadeSpec model = new CascadeSpec();
    /** Crop side in pixels (level 0 of the patch pyramid). */
    public int inputSize = 128;
    /** End of the cosine decay that follows the warm-up. */
    public float minLearningRate = 1e-5f;
    /** Weight of the error head's squared-error loss beside the landmark loss (the heads do not share gradients). */
    public float errorWeight = 1f;
    /**
     * Gaussian noise (crop units, per coordinate) added to the shape a later stage starts from in
     * training, so it also learns to fix the larger errors of unseen faces.
     */
    public float shapeNoise = 0.005f;

    public CascadeConfig() {
        epochs = 30;
        batchSize = 32;
        learningRate = 2e-3f;
        threads = 1;
    }

    public static CascadeConfig read(Path file) { return JsonConfigs.read(file, CascadeConfig.class, "cascade config"); }

    @Override
    public void validate() {
        if (!CascadeArchitecture.NAME.equals(architecture))
            throw new IllegalArgumentException("architecture must be \"cascade\", not " + architecture);
        super.validate();
        between("inputSize", inputSize, 16, 1024);
        between("minLearningRate", minLearningRate, 0, learningRate);
        atLeast("errorWeight", errorWeight, 0);
        atLeast("shapeNoise", shapeNoise, 0);
        if (model == null) throw new IllegalArgumentException("model must hold the cascade layout");
        model.validate(inputSize);
    }
}

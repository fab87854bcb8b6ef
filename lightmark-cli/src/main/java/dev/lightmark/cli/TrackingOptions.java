package dev.lightmark.cli;

import dev.lightmark.infer.FacePipeline;
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.track.FaceTracker;
import dev.lightmark.track.LandmarkSmoother;
import dev.lightmark.track.OneEuroParams;
import dev.lightmark.track.PointPredictor;
import dev.lightmark.track.TrackerOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** Model and detector options (a {@link PipelineOptions}), tracking and smoothing options shared by {@code video} and {@code jitter}. */
final class TrackingOptions {
    @Mixin
    PipelineOptions pipeline = new PipelineOptions();





    @Option(names = "--detect-every", defaultValue = "30",
            description = "Also run the detector every N frames, to find new faces and drop ones it no longer confirms "
                    + "(0: only on the first frame and when a track is lost). Default: ${DEFAULT-VALUE}")
    int detectEvery;

    @Option(names = "--smooth", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "One Euro smoothing of the points over time (on by default; --no-smooth for the raw points)")
    boolean smooth;

    @Option(names = "--min-cutoff", defaultValue = "1.0",
            description = "One Euro cut-off of a still face in Hz: lower = calmer but more lag. Default: ${DEFAULT-VALUE}")
    double minCutoff;

    @Option(names = "--beta", defaultValue = "10.0",
            description = "One Euro speed coefficient, per face size per second: higher = less lag in motion. Default: ${DEFAULT-VALUE}")
    double beta;

    @Option(names = "--d-cutoff", defaultValue = "1.0", description = "One Euro cut-off of the speed estimate in Hz. Default: ${DEFAULT-VALUE}")
    double dCutoff;

    @Option(names = "--smooth-space", defaultValue = "FACE",
            description = "IMAGE: filter every point coordinate; FACE: filter the face's pose and its shape apart (the shape stays "
                    + "smoothed while the head moves). Default: ${DEFAULT-VALUE}")
    LandmarkSmoother.Space smoothSpace;

    @Option(names = "--pose-min-cutoff", defaultValue = "4.0",
            description = "With --smooth-space FACE: One Euro cut-off (Hz) of the pose, same beta and d-cutoff; 0 keeps the raw pose. Default: ${DEFAULT-VALUE}")
    double poseMinCutoff;


    OneEuroParams smoothing() { return new OneEuroParams(minCutoff, beta, dCutoff); }

    TrackerOptions trackerOptions(boolean smoothed) {
        if (detectEvery < 0) throw new IllegalArgumentException("--detect-every must be 0 or more");
        if (poseMinCutoff < 0) throw new IllegalArgumentException("--pose-min-cutoff must be 0 or more");
        OneEuroParams pose = poseMinCutoff > 0 ? new OneEuroParams(poseMinCutoff, beta, dCutoff) : null;
        return TrackerOptions.defaults().withDetectEvery(detectEvery).withSmoothing(smoothed ? smoothing() : null)
                .withSmoothSpace(smoothSpace, pose);
    }

    LandmarkPredictor loadModel() throws IOException {
        smoothing(); // fail on bad smoothing values before loading anything
        return pipeline.loadModel();
    }

    FacePipeline pipeline(LandmarkPredictor lp) { return pipeline.pipeline(lp); }

    /** A tracker on the pipeline's detectors and landmark model; smoothing always on (raw points are kept too). */
    FaceTracker tracker(FacePipeline p, boolean smoothed) {
        return new FaceTracker(p::detectFaces, PointPredictor.of(p.landmarks()), trackerOptions(smoothed));
    }
}

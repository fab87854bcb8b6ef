package dev.lightmark.infer;

import dev.lightmark.detect.BlazeFaceDetector;
import dev.lightmark.detect.BlazeFaceModel;
import dev.lightmark.detect.FaceDetection;
import dev.lightmark.detect.LandmarkBoxMapper;
import dev.lightmark.geometry.Box;
import dev.lightmark.image.Warp;
import dev.lightmark.quality.TrustPolicy;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Photo in, faces with 68 landmarks out: one or more BlazeFace detectors, each with the box
 * mapping fitted for it, then the landmark model on all faces of the photo in one batch.
 * With several detectors, faces found by more than one are merged (the best score wins).
 * The landmark predictor is shared, not owned: close it separately.
 */
public final class FacePipeline implements AutoCloseable {
    /** Which BlazeFace networks to run. */
    public enum DetectorChoice {
        /** 128x128 front model: fast, for faces that fill a good part of the photo. */
        FRONT,
        /** 256x256 back model: for small or distant faces. */
        BACK,
        /** Both, merged: finds large and small faces (about 3x the detector time of FRONT). */
        AUTO
    }

    /** A detector and the mapping from its boxes to landmark boxes. */
    public record Stage(BlazeFaceDetector detector, LandmarkBoxMapper mapper) {}

    private static final float SAME_FACE_IOU = 0.5f;

    private final List<Stage> stages;
    private final LandmarkPredictor landmarks;
    private volatile TrustPolicy trust = TrustPolicy.DEFAULT;

    public FacePipeline(List<Stage> stages, LandmarkPredictor landmarks) {
        if (stages.isEmpty()) throw new IllegalArgumentException("no detector");
        this.stages = List.copyOf(stages);
        this.landmarks = landmarks;
    }

    /** Builds the detectors for a choice, with the bundled box mappings. */
    public static FacePipeline create(DetectorChoice choice, float scoreThreshold, int threads, LandmarkPredictor landmarks) {
        List<BlazeFaceModel> models = switch (choice) {
            case FRONT -> List.of(BlazeFaceModel.FRONT_128);
            case BACK -> List.of(BlazeFaceModel.BACK_256);
            case AUTO -> List.of(BlazeFaceModel.FRONT_128, BlazeFaceModel.BACK_256);
        };
        List<Stage> stages = new ArrayList<>();
        for (BlazeFaceModel m : models) {
            BlazeFaceDetector.Options o = BlazeFaceDetector.Options.defaults().withModel(m)
                    .withScoreThreshold(scoreThreshold).withIntraOpThreads(threads);
            stages.add(new Stage(new BlazeFaceDetector(o), LandmarkBoxMapper.loadDefault(m)));
        }
        return new FacePipeline(stages, landmarks);
    }

    /** Detections of all stages mapped to landmark boxes, duplicates merged, best score first. */
    public List<FaceResult> detectFaces(BufferedImage img) { return detectFaces(img, null); }

    /** As above with this score threshold for every detector (null: each detector's own). */
    public List<FaceResult> detectFaces(BufferedImage img, Float scoreThreshold) {
        List<FaceResult> all = new ArrayList<>();
        for (Stage s : stages) {
            List<FaceDetection> found = scoreThreshold == null ? s.detector().detect(img) : s.detector().detect(img, scoreThreshold);
            for (FaceDetection d : found)
                all.add(new FaceResult(d.box(), d.score(), s.mapper().toLandmarkBox(d), null));
        }
        all.sort(Comparator.comparingDouble(FaceResult::score).reversed());
        List<FaceResult> kept = new ArrayList<>();
        for (FaceResult f : all) {
            boolean dup = false;
            for (FaceResult k : kept) dup |= k.landmarkBox().iou(f.landmarkBox()) > SAME_FACE_IOU;
            if (!dup) kept.add(f);
        }
        return kept;
    }

    /**
     * Faces with landmarks and their quality (predicted NME, point confidence, pose), using the
     * detectors' thresholds and the predictor's flip setting; doubtful faces are marked (or left
     * out) by the trust policy.
     */
    public List<FaceResult> run(BufferedImage img) { return run(img, null, landmarks.flipTest()); }

    /**
     * Faces with landmarks, with a score threshold (null: the detectors' own) and flip test for
     * this call only; safe to call from several threads at once (see {@link BlazeFaceDetector}).
     */
    public List<FaceResult> run(BufferedImage img, Float scoreThreshold, boolean flip) {
        List<FaceResult> faces = detectFaces(img, scoreThreshold);
        if (faces.isEmpty()) return List.of();
        List<Box> boxes = faces.stream().map(FaceResult::landmarkBox).toList();
        List<FacePrediction> pts = landmarks.assess(Warp.pixels(img), img.getWidth(), img.getHeight(), boxes, flip);
        TrustPolicy policy = trust;
        List<FaceResult> out = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            FaceResult f = faces.get(i);
            var q = policy.mark(pts.get(i).quality());
            if (policy.keep(q)) out.add(new FaceResult(f.detectorBox(), f.score(), f.landmarkBox(), pts.get(i).points(), q));
        }
        return out;
    }

    /** Which faces {@link #run} marks doubtful or leaves out (default: mark above a predicted NME of 0.10, keep all). */
    public FacePipeline setTrustPolicy(TrustPolicy policy) {
        this.trust = java.util.Objects.requireNonNull(policy, "trust policy");
        return this;
    }

    public TrustPolicy trustPolicy() { return trust; }

    /** The detector stages, in order (shared with other pipelines by the HTTP service). */
    public List<Stage> stages() { return stages; }

    public LandmarkPredictor landmarks() { return landmarks; }

    /** Closes the detectors; the landmark predictor belongs to the caller. */
    @Override
    public void close() {
        for (Stage s : stages) s.detector().close();
    }
}

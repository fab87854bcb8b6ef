package dev.lightmark.eval;

import dev.lightmark.data.DataFormatException;
import dev.lightmark.data.FaceSample;
import dev.lightmark.geometry.Box;
import dev.lightmark.image.Images;
import dev.lightmark.infer.FacePipeline;
import dev.lightmark.infer.FacePrediction;
import dev.lightmark.infer.FaceResult;
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.progress.ProgressBar;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a landmark model over annotated faces and scores it. Two box settings: the tight box of
 * the ground truth (the usual protocol for deep models), or our detector's box mapped to a
 * landmark box (the real-world setting). With the detector, the detection overlapping the
 * annotated face most is used; faces the detector misses are counted and left out of NME.
 */
public final class ModelEvaluation {
    public enum BoxSource { GROUND_TRUTH, DETECTOR }

    /**
     * {@code predictions} and {@code assessed} follow the samples' order (null where a face was not
     * evaluated); {@code assessed} adds each face's quality estimate to its points.
     */
    public record Result(EvalReport interOcular, EvalReport interPupil, int faces, int detected,
                         List<String> problems, List<Landmarks> predictions, double msPerFace,
                         List<FacePrediction> assessed) {}

    private ModelEvaluation() {}

    /** {@code faces} finds the detector boxes; it is only used with {@link BoxSource#DETECTOR}. */
    public static Result run(String name, LandmarkPredictor model, List<FaceSample> samples, BoxSource source,
                             FacePipeline faces) {
        EvalReport.Builder io = EvalReport.builder(name, Normalizer.INTER_OCULAR);
        EvalReport.Builder ip = EvalReport.builder(name, Normalizer.INTER_PUPIL);
        List<String> problems = new ArrayList<>();
        List<Landmarks> preds = new ArrayList<>();
        List<FacePrediction> assessed = new ArrayList<>();
        int detected = 0;
        long nanos = 0;
        LandmarkScheme scheme = LandmarkScheme.IBUG68;
        try (ProgressBar bar = new ProgressBar("evaluating " + name, samples.size(), "faces")) {
            for (FaceSample s : samples) {
                bar.step(1);
                BufferedImage img;
                try {
                    img = Images.read(s.image());
                } catch (DataFormatException e) {
                    problems.add(e.getMessage());
                    preds.add(null);
                    assessed.add(null);
                    continue;
                }
                Box gt = s.faceBox();
                Box box = gt;
                if (source == BoxSource.DETECTOR) {
                    FaceResult best = null;
                    float bestIou = 0;
                    for (FaceResult d : faces.detectFaces(img)) {
                        float iou = d.landmarkBox().iou(gt);
                        if (iou > bestIou) { bestIou = iou; best = d; }
                    }
                    if (best == null) {
                        preds.add(null);
                        assessed.add(null);
                        continue;
                    }
                    box = best.landmarkBox();
                }
                detected++;
                long t0 = System.nanoTime();
                FacePrediction a = model.assess(img, box);
                nanos += System.nanoTime() - t0;
                Landmarks p = a.points();
                preds.add(p);
                assessed.add(a);
                String id = s.name();
                io.add(id, p, s.landmarks(), scheme);
                ip.add(id, p, s.landmarks(), scheme);
            }
        }
        return new Result(io.build(), ip.build(), samples.size(), detected, problems, preds,
                detected == 0 ? 0 : nanos / 1e6 / detected, assessed);
    }
}

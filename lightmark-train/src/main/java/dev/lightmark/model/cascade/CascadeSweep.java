package dev.lightmark.model.cascade;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.lightmark.augment.CropPolicy;
import dev.lightmark.data.DataFormatException;
import dev.lightmark.data.FaceSample;
import dev.lightmark.eval.Nme;
import dev.lightmark.eval.Normalizer;
import dev.lightmark.geometry.Affine;
import dev.lightmark.geometry.Box;
import dev.lightmark.image.Images;
import dev.lightmark.image.Warp;
import dev.lightmark.infer.FacePipeline;
import dev.lightmark.infer.FaceResult;
import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.train.ModelFile;
import dev.lightmark.model.layers.TorchSetup;
import dev.lightmark.progress.ProgressBar;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores every stopping policy of a cascade from one pass: each face runs through all stages
 * (one face at a time, as in the product) and the shape, predicted error and time of every stage
 * are kept. A fixed stage count N takes the shape after stage N; an exit threshold T takes it
 * after the first stage whose predicted error is below T (or the last stage). Both are exactly
 * what running with {@code --stages N} / {@code --exit-threshold T} gives, because a face's
 * stages do not depend on other faces. Time per face = crop + the stages it ran.
 */
public final class CascadeSweep {
    /** Per face: NME after each stage, predicted error after each stage, nanoseconds of each stage and of the crop. */
    public record Face(String name, double[] nme, float[] predicted, long[] stageNanos, long cropNanos) {}

    /** One policy's summary. {@code threshold} is 0 for a fixed stage count. */
    public record Row(String policy, int maxStages, double threshold, double nme, double meanStages, double multAdds,
                      double msPerFace, double failureRate10) {}

    public record Sweep(List<Face> faces, int detected, int total, long stageMultAdds) {}

    private CascadeSweep() {}

    /** Runs the cascade on every face; with {@code detector} non-null the box comes from it (best IoU with the truth). */
    public static Sweep run(Path model, List<FaceSample> samples, FacePipeline detector, int threads) throws IOException {
        TorchSetup.configure(threads);
        List<Face> out = new ArrayList<>();
        int detected = 0;
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager(); InputStream in = Files.newInputStream(model)) {
            ModelFile.Loaded loaded = ModelFile.load(in, model.toString(), manager);
            if (!(loaded.block() instanceof CascadeNet net))
                throw new IllegalArgumentException(model + " is a " + loaded.spec().architecture + " model, not a cascade");
            ParameterStore ps = new ParameterStore(manager, false);
            CropPolicy policy = new CropPolicy(loaded.spec().inputSize, loaded.spec().cropScale);
            int s = policy.inputSize(), stages = net.stageCount();
            // Warm-up so the first faces' times do not include JIT compilation and allocator growth.
            for (int w = 0; w < 5; w++)
                try (NDManager step = manager.newSubManager()) {
                    net.run(ps, step, new float[3 * s * s], 1, stages, 0f);
                }
            try (ProgressBar bar = new ProgressBar("sweeping " + model.getFileName(), samples.size(), "faces")) {
                for (FaceSample sample : samples) {
                    bar.step(1);
                    BufferedImage img;
                    try {
                        img = Images.read(sample.image());
                    } catch (DataFormatException e) {
                        System.err.println("skipped: " + e.getMessage());
                        continue;
                    }
                    Box box = sample.faceBox();
                    if (detector != null) {
                        FaceResult best = null;
                        float bestIou = 0;
                        for (FaceResult d : detector.detectFaces(img)) {
                            float iou = d.landmarkBox().iou(box);
                            if (iou > bestIou) { bestIou = iou; best = d; }
                        }
                        if (best == null) continue;
                        box = best.landmarkBox();
                    }
                    detected++;
                    long c0 = System.nanoTime();
                    Affine toCrop = policy.toCrop(box, 0f);
                    float[] chw = Warp.toChw(Warp.pixels(img), img.getWidth(), img.getHeight(), toCrop, s);
                    for (int j = 0; j < chw.length; j++) chw[j] = (chw[j] - 127.5f) / 128f;
                    long cropNanos = System.nanoTime() - c0;
                    CascadeNet.Trace tr;
                    try (NDManager step = manager.newSubManager()) {
                        tr = net.run(ps, step, chw, 1, stages, 0f);
                    }
                    Affine back = toCrop.inverse();
                    double[] nme = new double[stages];
                    for (int t = 0; t < stages; t++) {
                        float[] xy = tr.shapes()[t].clone();
                        for (int j = 0; j < xy.length; j++) xy[j] *= s;
                        nme[t] = Nme.of(new Landmarks(xy).transform(back), sample.landmarks(), LandmarkScheme.IBUG68, Normalizer.INTER_OCULAR);
                    }
                    float[] pred = new float[stages];
                    for (int t = 0; t < stages; t++) pred[t] = tr.predictedError()[t][0];
                    out.add(new Face(sample.name(), nme, pred, tr.stageNanos(), cropNanos));
                }
            }
            return new Sweep(out, detected, samples.size(), net.multAdds(1));
        }
    }

    /** The stage (1-based) at which a face stops under a threshold: first predicted error below it, else the last. */
    public static int exitStage(float[] predicted, int maxStages, double threshold) {
        for (int t = 0; t < maxStages; t++) if (threshold > 0 && predicted[t] < threshold) return t + 1;
        return maxStages;
    }

    /**
     * The exit threshold that runs the fewest stages on average while keeping the NME within
     * {@code tolerance} (relative, e.g. 0.02 = 2 %) of running every stage. Candidates are the
     * predicted errors themselves (a threshold just above each), so the search is exact. Meant
     * for validation faces; the chosen value is then applied unchanged to test sets.
     */
    public static double chooseThreshold(Sweep sw, int maxStages, double tolerance) {
        double full = score(sw, maxStages, 0).nme(), limit = full * (1 + tolerance);
        java.util.TreeSet<Double> candidates = new java.util.TreeSet<>();
        for (Face f : sw.faces())
            for (int t = 0; t < maxStages - 1; t++)
                if (f.predicted()[t] > 0) candidates.add(Math.nextUp((double) f.predicted()[t]));
        double best = 0, bestStages = maxStages, bestNme = full;
        for (double c : candidates) {
            Row r = score(sw, maxStages, c);
            if (r.nme() <= limit && (r.meanStages() < bestStages || (r.meanStages() == bestStages && r.nme() < bestNme))) {
                best = c;
                bestStages = r.meanStages();
                bestNme = r.nme();
            }
        }
        return best;
    }

    /** Fixed stage count N (threshold 0) or early exit at {@code threshold} within {@code maxStages}. */
    public static Row score(Sweep sw, int maxStages, double threshold) {
        double nme = 0, stages = 0, nanos = 0;
        int fail = 0;
        for (Face f : sw.faces()) {
            int stop = exitStage(f.predicted(), maxStages, threshold);
            nme += f.nme()[stop - 1];
            if (f.nme()[stop - 1] > 0.10) fail++;
            stages += stop;
            nanos += f.cropNanos();
            for (int t = 0; t < stop; t++) nanos += f.stageNanos()[t];
        }
        int n = sw.faces().size();
        String policy = threshold > 0 ? String.format(java.util.Locale.ROOT, "exit < %.4f", threshold) : maxStages + " stage" + (maxStages == 1 ? "" : "s");
        return new Row(policy, maxStages, threshold, nme / n, stages / n, stages / n * sw.stageMultAdds(),
                nanos / n / 1e6, (double) fail / n);
    }
}

package dev.lightmark;

import dev.lightmark.geometry.Box;
import dev.lightmark.image.Images;
import dev.lightmark.image.Warp;
import dev.lightmark.infer.FacePipeline;
import dev.lightmark.infer.FaceResult;
import dev.lightmark.infer.FacePrediction;
import dev.lightmark.infer.LandmarkPredictor;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Faces and their 68 landmarks, in a few lines:
 * <pre>{@code
 * try (Lightmark lm = Lightmark.open()) {
 *     for (Face f : lm.detect(Path.of("photo.jpg")))
 *         System.out.println(f.score() + " " + f.points().x(30) + "," + f.points().y(30));
 * }
 * }</pre>
 * {@link #open()} uses the bundled {@code default} model and detector settings (BlazeFace AUTO, score 0.5,
 * the model's own flip-test default, one thread); {@link #builder()} changes them. Runs on ONNX Runtime only:
 * this class needs nothing but lightmark-core.
 *
 * <p><b>Thread safety:</b> one instance may be shared by any number of threads; calls run
 * concurrently (each ONNX Runtime session allows concurrent runs). Open it once and reuse it:
 * opening loads the models (tens of milliseconds). Close it when done to free native memory.
 */
public final class Lightmark implements AutoCloseable {
    /**
     * Faces per network call in {@link #landmarks(List)}: small batches stay in cache; measured
     * on 300-W crops, 4 per call beat 1, 8 and 32 (`lightmark bench --faces`, BENCHMARKS.md).
     */
    private static final int BATCH = 4;

    private final LandmarkPredictor predictor;
    private final FacePipeline pipeline;
    private final float threshold;
    private final boolean flip;

    private Lightmark(Builder b) throws IOException {
        this.predictor = LandmarkPredictor.load(b.model, b.threads);
        try {
            this.pipeline = FacePipeline.create(b.detector, b.threshold, b.threads, predictor);
        } catch (RuntimeException e) {
            predictor.close();
            throw e;
        }
        this.threshold = b.threshold;
        this.flip = b.flip != null ? b.flip : predictor.flipByDefault();
    }

    /** The bundled model with the default settings. */
    public static Lightmark open() throws IOException { return builder().open(); }

    public static Builder builder() { return new Builder(); }

    /** Faces in the photo, most confident first, each with 68 points; an empty list when there is none. */
    public List<Face> detect(BufferedImage image) {
        List<Face> out = new ArrayList<>();
        for (FaceResult r : pipeline.run(Images.toRgb(image), threshold, flip))
            out.add(new Face(r.detectorBox(), r.score(), r.landmarkBox(), r.landmarks(), r.quality()));
        return out;
    }

    /** Decodes the file (JPEG, PNG, BMP, ...) and finds its faces; a clear error names a bad file. */
    public List<Face> detect(Path imageFile) { return detect(Images.read(imageFile)); }

    /** Decodes the bytes and finds their faces; {@code name} appears in errors. */
    public List<Face> detect(byte[] imageBytes, String name) { return detect(Images.decode(imageBytes, name)); }

    /**
     * Landmarks for faces the caller already found (e.g. by another detector): each box is the
     * tight box around the face's landmarks, image pixels. One batched network call.
     */
    public List<Face> landmarks(BufferedImage image, List<Box> faceBoxes) {
        BufferedImage rgb = Images.toRgb(image);
        List<FacePrediction> pts = predictor.assess(Warp.pixels(rgb), rgb.getWidth(), rgb.getHeight(), faceBoxes, flip);
        List<Face> out = new ArrayList<>(pts.size());
        for (int i = 0; i < pts.size(); i++)
            out.add(new Face(faceBoxes.get(i), 1f, faceBoxes.get(i), pts.get(i).points(), pts.get(i).quality()));
        return out;
    }

    /**
     * The batch call: many pre-cropped faces, each image framing one face as tightly as its
     * landmarks' box; points are in each crop's own pixels. Faces go through the network in
     * batches of 4.
     */
    public List<Face> landmarks(List<BufferedImage> faceCrops) {
        List<Face> out = new ArrayList<>(faceCrops.size());
        for (int from = 0; from < faceCrops.size(); from += BATCH) {
            List<BufferedImage> part = faceCrops.subList(from, Math.min(faceCrops.size(), from + BATCH));
            out.addAll(predictor.predictCrops(part, flip).stream()
                    .map(p -> new Face(p.box(), 1f, p.box(), p.points(), p.quality())).toList());
        }
        return out;
    }

    /** The landmark model's input side in pixels and its runtime, for logs. */
    public String describe() {
        return predictor.spec().architecture + " " + predictor.spec().inputSize + "px on " + predictor.runtime();
    }

    @Override
    public void close() {
        pipeline.close();
        predictor.close();
    }

    /** Settings for {@link Lightmark}; every one has a default. */
    public static final class Builder {
        private Path model;
        private FacePipeline.DetectorChoice detector = FacePipeline.DetectorChoice.AUTO;
        private float threshold = 0.5f;
        private Boolean flip;
        private int threads = 1;

        private Builder() {}

        /** A {@code .onnx} landmark model file instead of the bundled one. */
        public Builder model(Path onnxFile) { this.model = onnxFile; return this; }

        /** FRONT (fastest, large faces), BACK (small faces) or AUTO (both, the default). */
        public Builder detector(FacePipeline.DetectorChoice choice) { this.detector = choice; return this; }

        /** Detector score threshold in (0, 1); default 0.5. */
        public Builder threshold(float t) {
            if (!(t > 0 && t < 1)) throw new IllegalArgumentException("threshold must be in (0, 1), not " + t);
            this.threshold = t;
            return this;
        }

        /**
         * Test-time flip (average with the mirrored face): a second network pass. Default: the
         * model's own (on for the PFLD models and files, off for the bundled hourglasses ({@code default}, {@code accurate}, {@code video}), where it does not pay).
         */
        public Builder flip(boolean on) { this.flip = on; return this; }

        /** Intra-op threads of each ONNX Runtime session; default 1 (share one instance across threads instead). */
        public Builder threads(int n) {
            if (n < 1) throw new IllegalArgumentException("threads must be at least 1, not " + n);
            this.threads = n;
            return this;
        }

        public Lightmark open() throws IOException { return new Lightmark(this); }
    }
}

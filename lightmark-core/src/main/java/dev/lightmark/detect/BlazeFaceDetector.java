package dev.lightmark.detect;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.lightmark.geometry.Box;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * MediaPipe BlazeFace face detector on ONNX Runtime (CPU).
 *
 * <p>{@link #detect} letterboxes the image into the model's square input (aspect ratio kept,
 * centred, black padding), runs the network, decodes the 896 anchors, merges overlapping boxes with
 * MediaPipe's score-weighted non-maximum suppression and maps the result back to image pixels.
 * An image without faces gives an empty list.
 *
 * <p><b>Threads:</b> {@code detect} may be called from several threads at once (ONNX Runtime
 * sessions allow concurrent {@code run}, and each call uses its own buffers); {@link #close()} must
 * not overlap a running {@code detect}. With the default of one intra-op thread, each call uses one
 * core.
 *
 * <p>Models: MediaPipe BlazeFace (Google), ONNX conversion by PINTO0309, Barracuda-compatible form
 * by Keijiro Takahashi, Apache-2.0; see {@code /models/blazeface/NOTICE.md}.
 */
public final class BlazeFaceDetector implements AutoCloseable {
    /** MediaPipe's minimum score for its short-range face detector. */
    public static final float DEFAULT_SCORE_THRESHOLD = 0.5f;
    /** MediaPipe's suppression threshold for face detection. */
    public static final float DEFAULT_NMS_IOU = 0.3f;

    /**
     * Settings.
     *
     * @param model          network to run
     * @param fallback       network to run when {@code model} finds no face, or null for none
     *                       (e.g. FRONT_128 with fallback BACK_256 for small faces)
     * @param scoreThreshold keep anchors scoring above this, in (0, 1)
     * @param nmsIou         merge boxes overlapping the best one by more than this IoU, in (0, 1]
     * @param maxDetections  at most this many faces per image, best first; 0 for no limit
     * @param intraOpThreads ONNX Runtime intra-op threads per session (1: single-threaded)
     */
    public record Options(BlazeFaceModel model, BlazeFaceModel fallback, float scoreThreshold, float nmsIou,
                          int maxDetections, int intraOpThreads) {
        public Options {
            if (model == null) throw new IllegalArgumentException("model is null");
            if (fallback == model) throw new IllegalArgumentException("fallback equals the main model");
            if (!(scoreThreshold > 0 && scoreThreshold < 1))
                throw new IllegalArgumentException("scoreThreshold must be in (0, 1): " + scoreThreshold);
            if (!(nmsIou > 0 && nmsIou <= 1)) throw new IllegalArgumentException("nmsIou must be in (0, 1]: " + nmsIou);
            if (maxDetections < 0) throw new IllegalArgumentException("maxDetections < 0");
            if (intraOpThreads < 1) throw new IllegalArgumentException("intraOpThreads < 1");
        }

        /** FRONT_128, no fallback, score 0.5, NMS IoU 0.3, no detection limit, one thread. */
        public static Options defaults() {
            return new Options(BlazeFaceModel.FRONT_128, null, DEFAULT_SCORE_THRESHOLD, DEFAULT_NMS_IOU, 0, 1);
        }

        public Options withModel(BlazeFaceModel m) {
            return new Options(m, fallback, scoreThreshold, nmsIou, maxDetections, intraOpThreads);
        }
        public Options withFallback(BlazeFaceModel f) {
            return new Options(model, f, scoreThreshold, nmsIou, maxDetections, intraOpThreads);
        }
        public Options withScoreThreshold(float t) {
            return new Options(model, fallback, t, nmsIou, maxDetections, intraOpThreads);
        }
        public Options withNmsIou(float iou) {
            return new Options(model, fallback, scoreThreshold, iou, maxDetections, intraOpThreads);
        }
        public Options withMaxDetections(int n) {
            return new Options(model, fallback, scoreThreshold, nmsIou, n, intraOpThreads);
        }
        public Options withIntraOpThreads(int n) {
            return new Options(model, fallback, scoreThreshold, nmsIou, maxDetections, n);
        }
    }

    private final Options options;
    private final Net main;
    private final Net fallback;

    /** Default options: the front 128x128 model, single-threaded. */
    public BlazeFaceDetector() { this(Options.defaults()); }

    public BlazeFaceDetector(BlazeFaceModel model) { this(Options.defaults().withModel(model)); }

    public BlazeFaceDetector(Options options) {
        this.options = options;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Net m = new Net(env, options.model(), options.intraOpThreads());
        Net f = null;
        if (options.fallback() != null) {
            try {
                f = new Net(env, options.fallback(), options.intraOpThreads());
            } catch (RuntimeException e) {
                m.close();
                throw e;
            }
        }
        this.main = m;
        this.fallback = f;
    }

    public Options options() { return options; }

    /**
     * Faces in {@code img}, highest score first, in the image's pixels. Any {@link BufferedImage}
     * type works; TYPE_INT_RGB / TYPE_3BYTE_BGR are read fastest.
     */
    public List<FaceDetection> detect(BufferedImage img) { return detect(img, options); }

    /**
     * As {@link #detect(BufferedImage)} with another score threshold for this call only (the
     * sessions do not depend on it), so one detector can serve requests with different thresholds.
     */
    public List<FaceDetection> detect(BufferedImage img, float scoreThreshold) {
        return detect(img, scoreThreshold == options.scoreThreshold() ? options : options.withScoreThreshold(scoreThreshold));
    }

    private List<FaceDetection> detect(BufferedImage img, Options o) {
        if (img == null) throw new IllegalArgumentException("image is null");
        List<FaceDetection> faces = main.detect(img, o);
        if (faces.isEmpty() && fallback != null) faces = fallback.detect(img, o);
        return faces;
    }

    @Override public void close() {
        main.close();
        if (fallback != null) fallback.close();
    }

    /** One model's session. */
    private static final class Net implements AutoCloseable {
        final OrtEnvironment env;
        final OrtSession session;
        final BlazeFaceModel model;
        final String input;
        final String[] scoreOutputs = new String[2], boxOutputs = new String[2];

        Net(OrtEnvironment env, BlazeFaceModel model, int threads) {
            this.env = env;
            this.model = model;
            byte[] bytes;
            try {
                bytes = dev.lightmark.io.BundledResources.read(model.resource());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + model.resource(), e);
            }
            try {
                session = dev.lightmark.runtime.OrtSessions.create(env, bytes, threads);
            } catch (OrtException e) {
                throw new IllegalStateException("cannot load " + model.resource() + ": " + e.getMessage(), e);
            }
            try {
                input = checkIo(model);
            } catch (OrtException | RuntimeException e) {
                close();
                throw new IllegalStateException("unexpected model " + model.resource() + ": " + e.getMessage(), e);
            }
        }

        /** Checks the shapes and finds the outputs by size: [1,512,1], [1,384,1], [1,512,16], [1,384,16]. */
        private String checkIo(BlazeFaceModel model) throws OrtException {
            Map<String, NodeInfo> ins = session.getInputInfo();
            if (ins.size() != 1) throw new IllegalStateException("expected one input, got " + ins.keySet());
            var in = ins.entrySet().iterator().next();
            long[] shape = ((TensorInfo) in.getValue().getInfo()).getShape();
            int s = model.inputSize();
            if (!Arrays.equals(shape, new long[]{1, s, s, 3}))
                throw new IllegalStateException("input shape " + Arrays.toString(shape) + ", expected [1," + s + "," + s + ",3]");
            for (var e : session.getOutputInfo().entrySet()) {
                long[] os = ((TensorInfo) e.getValue().getInfo()).getShape();
                if (os.length != 3) continue;
                int layer = os[1] == 512 ? 0 : os[1] == 384 ? 1 : -1;
                if (layer < 0) continue;
                if (os[2] == 1) scoreOutputs[layer] = e.getKey();
                else if (os[2] == 16) boxOutputs[layer] = e.getKey();
            }
            for (int l = 0; l < 2; l++)
                if (scoreOutputs[l] == null || boxOutputs[l] == null)
                    throw new IllegalStateException("outputs " + session.getOutputInfo().keySet() + " lack the 512/384-anchor tensors");
            return in.getKey();
        }

        List<FaceDetection> detect(BufferedImage img, Options o) {
            int s = model.inputSize();
            Letterbox lb = Letterbox.of(img.getWidth(), img.getHeight(), s);
            float[] data = lb.toInput(img);
            float[] logits = new float[BlazeFaceDecoder.ANCHOR_COUNT];
            float[] regress = new float[BlazeFaceDecoder.ANCHOR_COUNT * BlazeFaceDecoder.VALUES_PER_ANCHOR];
            try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), new long[]{1, s, s, 3});
                 OrtSession.Result r = session.run(Map.of(input, t))) {
                int n0 = 512;
                copy(r, scoreOutputs[0], logits, 0);
                copy(r, scoreOutputs[1], logits, n0);
                copy(r, boxOutputs[0], regress, 0);
                copy(r, boxOutputs[1], regress, n0 * BlazeFaceDecoder.VALUES_PER_ANCHOR);
            } catch (OrtException e) {
                throw new IllegalStateException("BlazeFace inference failed: " + e.getMessage(), e);
            }
            List<FaceDetection> raw = BlazeFaceDecoder.decode(logits, regress, s, o.scoreThreshold());
            List<FaceDetection> merged = BlazeFaceDecoder.weightedNms(raw, o.nmsIou(), o.maxDetections());
            List<FaceDetection> out = new ArrayList<>(merged.size());
            for (FaceDetection d : merged) out.add(toImage(d, lb));
            return out;
        }

        private static void copy(OrtSession.Result r, String name, float[] dst, int offset) {
            OnnxTensor t = (OnnxTensor) r.get(name).orElseThrow();
            FloatBuffer fb = t.getFloatBuffer();
            fb.get(dst, offset, fb.remaining());
        }

        private static FaceDetection toImage(FaceDetection d, Letterbox lb) {
            Box b = d.box();
            Box px = new Box(lb.toImageX(b.x()), lb.toImageY(b.y()), lb.toImageW(b.w()), lb.toImageH(b.h()));
            float[] kp = d.keypoints();
            for (int k = 0; k < FaceDetection.KEYPOINT_COUNT; k++) {
                kp[2 * k] = lb.toImageX(kp[2 * k]);
                kp[2 * k + 1] = lb.toImageY(kp[2 * k + 1]);
            }
            return new FaceDetection(px, d.score(), kp);
        }

        @Override public void close() {
            try {
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException("cannot close the BlazeFace session", e);
            }
        }
    }
}

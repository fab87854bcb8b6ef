package dev.lightmark.infer;


import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Runs an exported landmark network (written by lightmark-train's exporter) with ONNX Runtime on the CPU.
 * {@link #forward} has the contract of {@link dev.lightmark.infer.LandmarkPredictor#forward}:
 * (n, 3, S, S) normalised input in, (n, 2K) crop-unit coordinates out. What the graph itself
 * outputs (points, heatmaps, two heads) is read by the {@link OutputDecoder} its metadata names
 * ({@link DecoderMetadata}).
 *
 * <p>Concurrent {@code forward} calls are allowed (ONNX Runtime sessions are thread-safe and each
 * call uses its own tensors); {@link #close()} must not overlap a running call.
 */
public final class OnnxLandmarkRunner implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String input;
    private final int inputSize;
    private final int outputs;
    private final OutputDecoder decoder;

    private OnnxLandmarkRunner(OrtEnvironment env, OrtSession session, String name) throws IOException {
        this.env = env;
        this.session = session;
        try {
            Map<String, NodeInfo> ins = session.getInputInfo(), outs = session.getOutputInfo();
            try {
                this.decoder = DecoderMetadata.read(session.getMetadata().getCustomMetadata());
            } catch (IllegalArgumentException e) {
                throw new IOException(name + ": bad decoder metadata: " + e.getMessage(), e);
            }
            if (ins.size() != 1 || outs.size() != decoder.outputs())
                throw new IOException(name + ": expected one input and " + decoder.outputs() + " output(s), got "
                        + ins.keySet() + " -> " + outs.keySet());
            var in = ins.entrySet().iterator().next();
            long[] is = ((TensorInfo) in.getValue().getInfo()).getShape();
            if (is.length != 4 || is[1] != 3 || is[2] <= 0 || is[2] != is[3])
                throw new IOException(name + ": input should be (N, 3, S, S), is " + Arrays.toString(is));
            this.input = in.getKey();
            this.inputSize = (int) is[2];
            this.outputs = pointValues(name, outs);
        } catch (OrtException | ClassCastException e) {
            throw new IOException(name + ": cannot read the model's inputs and outputs: " + e.getMessage(), e);
        }
    }

    /** 2K from the output shapes: (N, 2K) points, or (N, K, H, W) heatmaps (the first output decides). */
    private static int pointValues(String name, Map<String, NodeInfo> outs) throws IOException, OrtException {
        long[] os = ((TensorInfo) outs.values().iterator().next().getInfo()).getShape();
        if (os.length == 2 && os[1] > 0 && os[1] % 2 == 0) return (int) os[1];
        if (os.length == 4 && os[1] > 0 && os[2] > 0 && os[2] == os[3]) return (int) (2 * os[1]);
        throw new IOException(name + ": output should be (N, 2K) points or (N, K, H, H) heatmaps, is " + Arrays.toString(os));
    }

    /** Loads an .onnx file with one intra-op thread. */
    public static OnnxLandmarkRunner load(Path onnx) throws IOException { return load(onnx, 1); }

    /** Loads an .onnx file; {@code threads} intra-op threads per call (1: single-threaded). */
    public static OnnxLandmarkRunner load(Path onnx, int threads) throws IOException {
        if (!Files.isRegularFile(onnx)) throw new IOException("ONNX model not found: " + onnx);
        return fromBytes(dev.lightmark.io.ModelChecksums.readVerified(onnx), onnx.toString(), threads);   // checked against NAME.onnx.sha256
    }

    /**
     * Loads a model from its bytes. A file that is not a valid ONNX landmark model (truncated,
     * corrupt, wrong inputs) gives an {@link IOException} naming {@code name}.
     */
    public static OnnxLandmarkRunner fromBytes(byte[] model, String name, int threads) throws IOException {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try {
            session = dev.lightmark.runtime.OrtSessions.create(env, model, threads);
        } catch (OrtException e) {
            throw new IOException(name + ": not a valid ONNX model (truncated or corrupt?): " + e.getMessage(), e);
        }
        try {
            return new OnnxLandmarkRunner(env, session, name);
        } catch (IOException | RuntimeException e) {
            try {
                session.close();
            } catch (OrtException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Side S of the square input. */
    public int inputSize() { return inputSize; }

    /** Number of output values per face (2K). */
    public int outputSize() { return outputs; }

    /** The model's custom metadata (the exporter stores the model spec under {@code lightmark.*}). */
    public Map<String, String> metadata() {
        try {
            return session.getMetadata().getCustomMetadata();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot read ONNX metadata: " + e.getMessage(), e);
        }
    }

    /**
     * The network's first output before decoding (a heatmap model's maps), for {@code n} faces of
     * (n, 3, S, S) normalised input: what a distillation teacher hands its student.
     */
    public float[] firstOutput(float[] input, int n) {
        try (OrtSession.Result r = run(input, n)) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] out = new float[fb.remaining()];
            fb.get(out);
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    /** Raw network call: (n, 3, S, S) normalised input to (n, 2K) crop-unit coordinates. */
    public float[] forward(float[] input, int n) {
        float[] out;
        try (OrtSession.Result r = run(input, n)) {
            float[][] raws = new float[r.size()][];
            long[][] shapes = new long[r.size()][];
            for (int i = 0; i < r.size(); i++) {
                OnnxTensor y = (OnnxTensor) r.get(i);
                FloatBuffer fb = y.getFloatBuffer();
                raws[i] = new float[fb.remaining()];
                fb.get(raws[i]);
                shapes[i] = y.getInfo().getShape();
            }
            out = decoder.toCropUnits(raws, shapes);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
        if (out.length != n * outputs)
            throw new IllegalStateException("model gave " + out.length + " values for " + n + " faces");
        return out;
    }

    /** One session call on {@code n} faces of (n, 3, S, S) input, checked; the caller closes the result. */
    private OrtSession.Result run(float[] input, int n) throws OrtException {
        long per = 3L * inputSize * inputSize;
        if (n < 1 || input.length != n * per)
            throw new IllegalArgumentException("input has " + input.length + " values, expected " + n + " x " + per);
        try (OnnxTensor t = OnnxTensor.createTensor(env, direct(input), new long[]{n, 3, inputSize, inputSize})) {
            return session.run(Map.of(this.input, t));   // outputs are separate tensors: the input may close first
        }
    }

    /**
     * The input in this thread's reusable direct buffer: ONNX Runtime reads a direct buffer in
     * place, where a heap array would be copied into a freshly allocated one on every call.
     */
    private static FloatBuffer direct(float[] input) {
        FloatBuffer b = INPUT.get();
        if (b.capacity() < input.length) {
            b = java.nio.ByteBuffer.allocateDirect(input.length * Float.BYTES).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
            INPUT.set(b);
        }
        b.clear();
        b.put(input).flip();
        return b;
    }

    private static final ThreadLocal<FloatBuffer> INPUT = ThreadLocal.withInitial(() -> FloatBuffer.allocate(0));

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the ONNX session: " + e.getMessage(), e);
        }
    }
}

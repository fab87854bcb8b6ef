package dev.lightmark.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts the weights of a float ONNX file written by {@code lightmark export} back into the DJL
 * network it came from, so a shipped model can be fine-tuned when its {@code .lmk} is gone.
 *
 * <p>The export keeps DJL's parameter names and folds each batch norm into the convolution before
 * it ({@code X_weight} and {@code X_bias} carry the folded values). Here the convolution takes the
 * folded values and its batch norm becomes the identity at inference: gamma 1, beta 0, running
 * mean 0 and running variance {@code 1 - epsilon}, so the network computes exactly what the file
 * does. In training mode a batch norm normalises with the batch's own statistics instead, so
 * {@link #calibrate} then sets each norm from its input's statistics on real faces, which makes
 * training mode start at the file's function too. An int8 export ({@code --int8}) is read too:
 * its weights are stored as int8 (biases int32) with a scale per output channel, and come back as
 * those products, the weights its integer kernels used (within half a quantisation step of the
 * float ones).
 */
public final class OnnxWeights {
    /** DJL's BatchNorm epsilon, which every batch norm in the project's networks uses. */
    private static final float EPSILON = 1e-5f;
    private static final int FLOAT = 1, INT8 = 3, INT32 = 6;
    private static final String[] BATCH_NORM = {"_gamma", "_beta", "_runningMean", "_runningVar"};

    private OnnxWeights() {}

    /** A float initialiser: its dims and values. */
    record Initializer(long[] dims, float[] values) {}

    /**
     * Sets every parameter of {@code net} (initialised, of the file's architecture and sizes) from
     * the ONNX {@code model}; fails naming the first parameter the file lacks or sizes differently.
     * Returns the batch norms that were folded (their parameter prefixes), for {@link #calibrate}.
     */
    public static List<String> load(Block net, byte[] model, String name) throws IOException {
        return load(net, model, name, key -> null);
    }

    /** What {@link #load} may do with a parameter the file lacks: read another one, or start it at zero. */
    @FunctionalInterface
    public interface Missing {
        /** Marks a parameter to be set to zeros. */
        String ZEROS = "\0zeros";

        /** The file's name to read for {@code key}, {@link #ZEROS}, or null (the file must have it). */
        String alias(String key);
    }

    /**
     * As {@link #load(Block, byte[], String)}, for a network larger than the file's: a parameter
     * the file lacks is read under the name {@code missing} gives, or zeroed (a zeroed convolution
     * keeps its batch norm as initialised, so it is not returned as folded).
     */
    public static List<String> load(Block net, byte[] model, String name, Missing missing) throws IOException {
        List<String> norms = new ArrayList<>();
        Map<String, Initializer> init = new HashMap<>();
        initializers(model, name, init);
        List<Pair<String, Parameter>> params = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) params.add(p);
        for (int i = 0; i < params.size(); i++) {
            String key = params.get(i).getKey();
            NDArray a = params.get(i).getValue().getArray();
            Initializer t = find(init, key);
            String other = t == null ? missing.alias(key) : null;
            if (other != null) {
                if (other.equals(Missing.ZEROS)) {
                    put(a, new float[Math.toIntExact(a.size())]);
                    continue;
                }
                t = find(init, other);
            }
            int next = nextAfterConv(params, i);
            if (key.endsWith("_weight") && t != null && a.getShape().dimension() == 4 && batchNormAt(params, next)) {
                // A convolution with its batch norm folded in: weights as they are, the norm the identity.
                String conv = key.substring(0, key.length() - "_weight".length());
                Initializer bias = find(init, conv + "_bias");
                String biasAlias = bias == null ? missing.alias(conv + "_bias") : null;
                if (biasAlias != null) bias = find(init, biasAlias);
                if (bias == null) throw new IOException(name + ": no folded bias " + conv + "_bias for " + key);
                set(a, t, key, name);
                boolean convBias = next == i + 2;
                if (convBias) set(params.get(i + 1).getValue().getArray(), bias, conv + "_bias", name);
                float[] zeros = new float[bias.values().length], ones = new float[zeros.length], var = new float[zeros.length];
                Arrays.fill(ones, 1f);
                Arrays.fill(var, 1f - EPSILON);
                put(params.get(next).getValue().getArray(), ones);
                put(params.get(next + 1).getValue().getArray(), convBias ? zeros : bias.values());
                put(params.get(next + 2).getValue().getArray(), zeros);
                put(params.get(next + 3).getValue().getArray(), var);
                String gamma = params.get(next).getKey();
                norms.add(gamma.substring(0, gamma.length() - BATCH_NORM[0].length()));
                i = next + 3;
                continue;
            }
            if (t == null) throw new IOException(name + ": has no weights for " + key + " (not the same architecture or sizes?)");
            set(a, t, key, name);
        }
        return norms;
    }

    /**
     * Makes training mode start where inference is: each folded batch norm (as {@link #load} lists
     * them) gets its input's per-channel mean m and variance v on {@code faces}, as gamma
     * = sqrt(v + eps), beta = folded bias + m and running statistics (m, v). Inference stays exact
     * for any (m, v); training mode on these faces then computes the same function. The statistics
     * are read from the running averages a training-mode forward leaves (two forwards per norm,
     * from two known starting values, so PyTorch's momentum convention need not be assumed).
     */
    public static void calibrate(Block net, List<String> norms, NDArray faces) {
        Map<String, NDArray> p = new HashMap<>();
        for (Pair<String, Parameter> e : net.getParameters()) p.put(e.getKey(), e.getValue().getArray());
        Map<String, Block> blocks = new HashMap<>();
        byPrefix(net, "", blocks);
        // The betas as load() left them (the folded bias, or 0 where the convolution keeps its own).
        Map<String, float[]> folded = new HashMap<>();
        for (String norm : norms) folded.put(norm, p.get(norm + "_beta").toFloatArray());
        Map<String, float[][]> set = new HashMap<>();   // each norm's (mean, variance), once found
        float[] pixels = faces.toFloatArray();
        // Two sweeps: a norm's input is right once every norm upstream of it is set, whatever order
        // the parameters are listed in (branches of the hourglass), and the second sweep sees them all set.
        for (int sweep = 0; sweep < 2; sweep++)
        for (String norm : norms) {
            NDArray mean = p.get(norm + "_runningMean"), var = p.get(norm + "_runningVar");
            NDArray gamma = p.get(norm + "_gamma"), beta = p.get(norm + "_beta");
            float[] bias = folded.get(norm);
            int c = bias.length;
            float[][] after = new float[4][];
            for (int start = 0; start < 2; start++) {
                float[] m0 = new float[c], v0 = new float[c];
                Arrays.fill(m0, start);
                Arrays.fill(v0, 1 + start);
                put(mean, m0);
                put(var, v0);
                try (NDManager step = faces.getManager().newSubManager()) {
                    // The input in the step's manager, so every intermediate array is freed with it.
                    NDArray x = step.create(pixels, faces.getShape());
                    net.forward(new ParameterStore(step, false), new NDList(x), true);
                }
                after[2 * start] = mean.toFloatArray();
                after[2 * start + 1] = var.toFloatArray();
            }
            // running' = a * running + (1 - a) * batch: from the two starts, a = mean1 - mean0 (start 1 vs 0).
            // PyTorch keeps the unbiased variance; a batch is normalised with the biased one.
            double n = valuesPerChannel(blocks.get(norm), faces.getShape().get(0)), biased = n > 1 ? (n - 1) / n : 1;
            float[] g = new float[c], b = new float[c], m = new float[c], v = new float[c];
            for (int ch = 0; ch < c; ch++) {
                double a = after[2][ch] - after[0][ch];
                m[ch] = (float) (after[0][ch] / (1 - a));
                v[ch] = (float) Math.max(0, (after[1][ch] - a) / (1 - a) * biased);
                g[ch] = (float) Math.sqrt(v[ch] + EPSILON);
                b[ch] = bias[ch] + m[ch];
            }
            put(gamma, g);
            put(beta, b);
            set.put(norm, new float[][]{m, v});
        }
        // The forwards also moved the running statistics of the norms already set: put theirs back.
        for (var e : set.entrySet()) {
            put(p.get(e.getKey() + "_runningMean"), e.getValue()[0]);
            put(p.get(e.getKey() + "_runningVar"), e.getValue()[1]);
        }
    }

    /**
     * The initialiser of a DJL parameter: by its name, or for the coordinate attention's shared
     * layer, which the export writes once per profile with the same weights, by its first copy's.
     */
    private static Initializer find(Map<String, Initializer> init, String key) {
        Initializer t = init.get(key);
        return t != null ? t : init.get(SHARED_LAYER.matcher(key).replaceFirst("_sharedH_"));
    }

    private static final java.util.regex.Pattern SHARED_LAYER = java.util.regex.Pattern.compile("_\\d\\dshared_");

    /** Every block by the prefix its parameters carry (DJL names a child's parameters {@code childName_param}). */
    private static void byPrefix(Block b, String prefix, Map<String, Block> out) {
        for (Pair<String, Block> c : b.getChildren()) {
            String name = prefix + c.getKey();
            out.put(name, c.getValue());
            byPrefix(c.getValue(), name + "_", out);
        }
    }

    /** Values per channel a batch norm sees in a batch: the batch times its input's spatial size. */
    private static double valuesPerChannel(Block norm, long batch) {
        if (norm == null) return 0;
        Shape[] in = norm.getInputShapes();
        if (in == null || in.length == 0) return 0;
        double n = batch;
        for (int d = 2; d < in[0].dimension(); d++) n *= in[0].get(d);
        return n;
    }

    /** Index of the parameter after the convolution's weight (and its own bias, when it has one). */
    private static int nextAfterConv(List<Pair<String, Parameter>> params, int weight) {
        String conv = params.get(weight).getKey().replaceFirst("_weight$", "");
        return weight + 1 < params.size() && params.get(weight + 1).getKey().equals(conv + "_bias") ? weight + 2 : weight + 1;
    }

    /** Whether the four parameters from {@code i} are one batch norm's gamma, beta, mean and variance. */
    private static boolean batchNormAt(List<Pair<String, Parameter>> params, int i) {
        if (i + 3 >= params.size() || !params.get(i).getKey().endsWith(BATCH_NORM[0])) return false;
        String prefix = params.get(i).getKey().substring(0, params.get(i).getKey().length() - BATCH_NORM[0].length());
        for (int j = 0; j < 4; j++) if (!params.get(i + j).getKey().equals(prefix + BATCH_NORM[j])) return false;
        return true;
    }

    private static void set(NDArray a, Initializer t, String key, String name) throws IOException {
        if (!Arrays.equals(a.getShape().getShape(), t.dims()))
            throw new IOException(name + ": " + key + " is " + Arrays.toString(t.dims()) + " there, " + a.getShape() + " here (not the same sizes?)");
        put(a, t.values());
    }

    /** Copies values into a parameter outside autograd's view (a leaf that needs gradients refuses in-place writes). */
    private static void put(NDArray a, float[] values) {
        boolean grad = a.hasGradient();
        if (grad) a.setRequiresGradient(false);
        a.set(FloatBuffer.wrap(values));
        if (grad) a.setRequiresGradient(true);
    }

    /**
     * Reads the float initialisers of an ONNX ModelProto (graph = field 7, initializer = field 5 of
     * the graph) into {@code out}, the int8 export's quantised weights and biases dequantised.
     */
    static void initializers(byte[] model, String name, Map<String, Initializer> out) throws IOException {
        Map<String, Quantised> ints = new HashMap<>();
        try {
            Proto m = new Proto(model, 0, model.length);
            while (m.more()) {
                int tag = m.tag();
                if (tag >>> 3 == 7 && (tag & 7) == 2) {
                    Proto g = m.message();
                    while (g.more()) {
                        int gt = g.tag();
                        if (gt >>> 3 == 5 && (gt & 7) == 2) tensor(g.message(), out, ints);
                        else g.skip(gt);
                    }
                } else m.skip(tag);
            }
        } catch (RuntimeException e) {
            throw new IOException(name + ": not a readable ONNX file (" + e.getMessage() + ")", e);
        }
        dequantise(ints, out);
        if (out.isEmpty()) throw new IOException(name + ": no float weights in this ONNX file");
    }

    /** An integer initialiser: its dims, type and little-endian bytes. */
    private record Quantised(long[] dims, int type, byte[] raw) {}

    /**
     * The int8 export's weights back as floats: {@code W_int8} (int8) and {@code B_int32} (int32)
     * times {@code W_scales} / {@code B_scales}, one scale per output channel (axis 0, zero points
     * 0), under the float names {@code W} and {@code B}. A weight used twice is stored twice; the
     * first copy (no numeric suffix) is read.
     */
    private static void dequantise(Map<String, Quantised> ints, Map<String, Initializer> out) {
        for (var e : ints.entrySet()) {
            String suffix = e.getValue().type() == INT8 ? "_int8" : "_int32";
            if (!e.getKey().endsWith(suffix)) continue;
            String base = e.getKey().substring(0, e.getKey().length() - suffix.length());
            Initializer scales = out.get(base + "_scales");
            Quantised q = e.getValue();
            if (scales == null || out.containsKey(base) || q.dims().length == 0 || scales.values().length != q.dims()[0]) continue;
            int n = q.type() == INT8 ? q.raw().length : q.raw().length / 4, per = n / scales.values().length;
            float[] v = new float[n];
            ByteBuffer bb = ByteBuffer.wrap(q.raw()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) v[i] = (q.type() == INT8 ? q.raw()[i] : bb.getInt(4 * i)) * scales.values()[i / per];
            out.put(base, new Initializer(q.dims(), v));
        }
    }

    /**
     * TensorProto: dims 1, data_type 2, float_data 4, name 8, raw_data 9. Float tensors go to
     * {@code out}, int8 and int32 ones (the int8 export's weights and biases) to {@code ints}.
     */
    private static void tensor(Proto t, Map<String, Initializer> out, Map<String, Quantised> ints) {
        List<Long> dims = new ArrayList<>();
        int type = 0;
        String tensorName = null;
        float[] values = null;
        byte[] raw = null;
        while (t.more()) {
            int tag = t.tag(), field = tag >>> 3, wire = tag & 7;
            if (field == 1 && wire == 0) dims.add(t.varint());
            else if (field == 1 && wire == 2) {
                Proto p = t.message();
                while (p.more()) dims.add(p.varint());
            } else if (field == 2 && wire == 0) type = (int) t.varint();
            else if (field == 8 && wire == 2) tensorName = new String(t.bytes(), java.nio.charset.StandardCharsets.UTF_8);
            else if ((field == 9 || field == 4) && wire == 2) raw = t.bytes();   // raw_data, or packed float_data (same bytes)
            else t.skip(tag);
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        if (type == FLOAT && tensorName != null && raw != null) {
            values = new float[raw.length / 4];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            out.put(tensorName, new Initializer(shape, values));
        } else if ((type == INT8 || type == INT32) && tensorName != null && raw != null)
            ints.put(tensorName, new Quantised(shape, type, raw));
    }

    /** Just enough of the protobuf wire format to walk messages and read fields. */
    private static final class Proto {
        private final byte[] b;
        private int pos;
        private final int end;

        Proto(byte[] b, int from, int to) {
            this.b = b;
            this.pos = from;
            this.end = to;
        }

        boolean more() { return pos < end; }

        int tag() { return (int) varint(); }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) throw new IllegalStateException("truncated varint");
                byte x = b[pos++];
                v |= (long) (x & 0x7f) << shift;
                if (x >= 0) return v;
            }
            throw new IllegalStateException("malformed varint");
        }

        byte[] bytes() {
            int n = length();
            byte[] out = Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return out;
        }

        Proto message() {
            int n = length();
            Proto p = new Proto(b, pos, pos + n);
            pos += n;
            return p;
        }

        private int length() {
            long n = varint();
            if (n < 0 || n > end - pos) throw new IllegalStateException("field length " + n + " past the message end");
            return (int) n;
        }

        void skip(int tag) {
            switch (tag & 7) {
                case 0 -> varint();
                case 1 -> pos += 8;
                case 2 -> {
                    int n = length();   // before reading pos: "pos += length()" would add to the old pos
                    pos += n;
                }
                case 5 -> pos += 4;
                default -> throw new IllegalStateException("unknown wire type " + (tag & 7));
            }
            if (pos > end) throw new IllegalStateException("field past the message end");
        }
    }
}

package dev.lightmark.train;

import ai.djl.ndarray.NDArray;
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
 * does. In training mode a batch norm normalises with the batch's own statistics, so the first
 * steps of a fine-tune move away from the file; a low learning rate is advised. int8 files are
 * refused: their weights are stored quantised.
 */
public final class OnnxWeights {
    /** DJL's BatchNorm epsilon, which every batch norm in the project's networks uses. */
    private static final float EPSILON = 1e-5f;
    private static final int FLOAT = 1, UINT8 = 2, INT8 = 3;
    private static final String[] BATCH_NORM = {"_gamma", "_beta", "_runningMean", "_runningVar"};

    private OnnxWeights() {}

    /** A float initialiser: its dims and values. */
    record Initializer(long[] dims, float[] values) {}

    /**
     * Sets every parameter of {@code net} (initialised, of the file's architecture and sizes) from
     * the ONNX {@code model}; fails naming the first parameter the file lacks or sizes differently.
     */
    public static void load(Block net, byte[] model, String name) throws IOException {
        Map<String, Initializer> init = new HashMap<>();
        if (initializers(model, name, init))
            throw new IOException(name + ": an int8 file; fine-tuning needs the float export (lightmark export without --int8)");
        List<Pair<String, Parameter>> params = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) params.add(p);
        for (int i = 0; i < params.size(); i++) {
            String key = params.get(i).getKey();
            NDArray a = params.get(i).getValue().getArray();
            Initializer t = find(init, key);
            if (key.endsWith("_weight") && t != null && a.getShape().dimension() == 4 && batchNormAt(params, nextAfterConv(params, i))) {
                // A convolution with its batch norm folded in: weights as they are, the norm the identity.
                String conv = key.substring(0, key.length() - "_weight".length());
                Initializer bias = find(init, conv + "_bias");
                if (bias == null) throw new IOException(name + ": no folded bias " + conv + "_bias for " + key);
                set(a, t, key, name);
                int next = nextAfterConv(params, i);
                boolean convBias = next == i + 2;
                if (convBias) set(params.get(i + 1).getValue().getArray(), bias, conv + "_bias", name);
                float[] zeros = new float[(int) bias.values().length], ones = new float[zeros.length], var = new float[zeros.length];
                Arrays.fill(ones, 1f);
                Arrays.fill(var, 1f - EPSILON);
                put(params.get(next).getValue().getArray(), ones);
                put(params.get(next + 1).getValue().getArray(), convBias ? zeros : bias.values());
                put(params.get(next + 2).getValue().getArray(), zeros);
                put(params.get(next + 3).getValue().getArray(), var);
                i = next + 3;
                continue;
            }
            if (t == null) throw new IOException(name + ": has no weights for " + key + " (not the same architecture or sizes?)");
            set(a, t, key, name);
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
     * the graph) into {@code out}; true when the file also holds 8-bit integer tensors (quantised).
     */
    static boolean initializers(byte[] model, String name, Map<String, Initializer> out) throws IOException {
        boolean[] quantised = {false};
        try {
            Proto m = new Proto(model, 0, model.length);
            while (m.more()) {
                int tag = m.tag();
                if (tag >>> 3 == 7 && (tag & 7) == 2) {
                    Proto g = m.message();
                    while (g.more()) {
                        int gt = g.tag();
                        if (gt >>> 3 == 5 && (gt & 7) == 2) quantised[0] |= tensor(g.message(), out);
                        else g.skip(gt);
                    }
                } else m.skip(tag);
            }
        } catch (RuntimeException e) {
            throw new IOException(name + ": not a readable ONNX file (" + e.getMessage() + ")", e);
        }
        if (out.isEmpty()) throw new IOException(name + ": no float weights in this ONNX file");
        return quantised[0];
    }

    /** TensorProto: dims 1, data_type 2, float_data 4, name 8, raw_data 9. True for an 8-bit integer tensor. */
    private static boolean tensor(Proto t, Map<String, Initializer> out) {
        List<Long> dims = new ArrayList<>();
        int type = 0;
        String tensorName = null;
        float[] values = null;
        while (t.more()) {
            int tag = t.tag(), field = tag >>> 3, wire = tag & 7;
            if (field == 1 && wire == 0) dims.add(t.varint());
            else if (field == 1 && wire == 2) {
                Proto p = t.message();
                while (p.more()) dims.add(p.varint());
            } else if (field == 2 && wire == 0) type = (int) t.varint();
            else if (field == 8 && wire == 2) tensorName = new String(t.bytes(), java.nio.charset.StandardCharsets.UTF_8);
            else if ((field == 9 || field == 4) && wire == 2) {
                byte[] raw = t.bytes();
                values = new float[raw.length / 4];
                ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            } else t.skip(tag);
        }
        if (type == FLOAT && tensorName != null && values != null)
            out.put(tensorName, new Initializer(dims.stream().mapToLong(Long::longValue).toArray(), values));
        return type == UINT8 || type == INT8;
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

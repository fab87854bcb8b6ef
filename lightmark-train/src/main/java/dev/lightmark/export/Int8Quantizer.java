package dev.lightmark.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Static int8 quantisation of an exported float graph, written in ONNX's QDQ form: every
 * activation that feeds a quantisable operation passes through QuantizeLinear + DequantizeLinear
 * (uint8, one scale per tensor, from the ranges seen on calibration faces), and each convolution
 * reads its weight as int8 with one scale per output channel and its bias as int32, both through
 * DequantizeLinear. The graph stays valid float ONNX that any runtime can execute; ONNX Runtime's
 * optimiser fuses each DequantizeLinear -> op -> QuantizeLinear group into its integer kernel
 * (QLinearConv, QLinearAdd, ...), which is where the speed comes from.
 *
 * <p>Which tensors are quantised, and why:
 * <ul>
 *   <li>the activation input of Conv, both inputs of Add and Mul, the input of the pools and
 *       Sigmoid: these have integer kernels, and quantising a tensor at its consumers makes
 *       its producer's only consumer a QuantizeLinear, so the producer fuses too;</li>
 *   <li>not Relu: a Relu followed by a QuantizeLinear whose zero point is 0 is dropped by the
 *       optimiser (the quantised range already starts at 0), so the Relu's output is quantised
 *       (it feeds a conv or an add) and its input is left alone;</li>
 *   <li>not an operation with a float constant input (the h-swish's "+ 3" and "/ 6"): the
 *       constant would need its own quantisation for no kernel gain;</li>
 *   <li>MaxPool gets the same scale in and out, which lets it run on the bytes;</li>
 *   <li>the x2 upsampling (Resize, or the int8 export's Transpose, Reshape and Expand) is left
 *       out of the list but still runs on bytes: it copies values, so its input and output
 *       calibrate to the same range, and the optimiser drops the pairs around it;</li>
 *   <li>not ReduceMean and HardSigmoid (the int8 export's attention means and h-swish gate):
 *       they run in float on the dequantised values, on tensors too small for an integer kernel
 *       to pay (a QLinearAveragePool there cost more than the float mean);</li>
 *   <li>the output of a convolution that is a graph output (through Identity), so the heatmap
 *       head runs as an integer kernel too and only its result is turned back into floats: in
 *       float it took 0.12 ms, with the dequantisation of its input, of a 1.9 ms network, and
 *       the validation NME moved by 0.0002 points.</li>
 * </ul>
 * The graph outputs themselves stay float.
 */
final class Int8Quantizer {
    /**
     * Architectures whose int8 export is checked and pays. PFLD is not one: its depthwise layers
     * ran slower in int8 than in float on ONNX Runtime (0.31 against 0.23 ms per face).
     */
    static final List<String> ARCHITECTURES = List.of("hourglass");
    /** Operations whose float activation inputs are quantised. */
    private static final Set<String> QUANTISED = Set.of("Conv", "Add", "Mul", "MaxPool", "AveragePool",
            "GlobalAveragePool", "Sigmoid");
    /** Of those, the ones that move values without computing new ones: same scale in and out. */
    private static final Set<String> SAME_SCALE = Set.of("MaxPool");
    /** Float consumers that do not stop a quantised producer's output from staying quantised. */
    private static final Set<String> TRANSPARENT = Set.of("Relu", "Identity");

    /**
     * Weights use 7 bits (-63..63), not 8. On x86 CPUs without VNNI, ONNX Runtime multiplies uint8
     * activations by int8 weights with an instruction that adds pairs of products into 16 bits and
     * saturates: 2 x 255 x 127 overflows, 2 x 255 x 63 does not. The model then gives the same
     * points on every CPU, at the price of coarser weights (measured on validation: BENCHMARKS.md, "int8").
     */
    static final int WEIGHT_LEVELS = 63;

    /**
     * An output channel whose weights all lie under this is written as zeros with scale 1. Weight
     * decay leaves unused channels of trained networks at 1e-39 to 1e-44: their scales, and the
     * bias scales made from them, were subnormal floats (100-240 per bundled file), and the
     * integer kernels' requantisation with them ran 2x slower on an Intel Xeon (a 3x3 conv at
     * 32x32: 109 against 50 us). Such a channel adds under 1e-17 to any output.
     */
    static final float NEGLIGIBLE_WEIGHT = 1e-20f;

    /** A tensor's calibrated range, widened to hold 0 (so zero, the padding value, is exact). */
    record Range(float lo, float hi) {
        Range {
            lo = Math.min(lo, 0f);
            hi = Math.max(hi, 0f);
        }

        Range union(Range o) { return new Range(Math.min(lo, o.lo), Math.max(hi, o.hi)); }

        /** uint8 scale; a range of zero width still gets a usable scale. */
        float scale() { return hi > lo ? (hi - lo) / 255f : 1f; }

        int zeroPoint() { return Math.max(0, Math.min(255, Math.round(-lo / scale()))); }
    }

    private Int8Quantizer() {}

    /** The activations that will be quantised, in graph order. */
    static List<String> targets(OnnxGraph g) {
        Set<String> integer = integerValues(g);
        Set<String> out = new LinkedHashSet<>();
        Map<String, List<OnnxGraph.Node>> consumers = new HashMap<>();
        for (OnnxGraph.Node n : g.nodes()) for (String in : n.inputs) consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
        for (OnnxGraph.Node n : g.nodes()) {
            if (!QUANTISED.contains(n.op)) continue;
            if (n.op.equals("Conv"))
                for (OnnxGraph.Node c : consumers.getOrDefault(n.output, List.of()))
                    if (c.op.equals("Identity") && g.outputNames().contains(c.output)) out.add(n.output);
            List<String> acts = activationInputs(g, n, integer);
            if (acts == null) continue;
            out.addAll(acts);
            // An output read by an op not in the list (Resize, Flatten) is quantised too, so the
            // integer kernel still ends in a QuantizeLinear and fuses.
            for (OnnxGraph.Node c : consumers.getOrDefault(n.output, List.of()))
                if (!QUANTISED.contains(c.op) && !TRANSPARENT.contains(c.op)) out.add(n.output);
        }
        out.removeAll(g.outputNames());
        return new ArrayList<>(out);
    }

    /**
     * The node's inputs to quantise, or null when the node stays float: Conv's data input, every
     * input of the others; null if one of those is a float constant
     * or an integer value.
     */
    private static List<String> activationInputs(OnnxGraph g, OnnxGraph.Node n, Set<String> integer) {
        List<String> ins = switch (n.op) {
            case "Conv" -> List.of(n.inputs.get(0));
            default -> n.inputs;
        };
        for (String in : ins) if (in.isEmpty() || g.constant(in) != null || integer.contains(in)) return null;
        return ins;
    }

    /**
     * Values computed from shapes (the batch-size arithmetic before an Expand): a Shape's output,
     * a Cast to an integer type, and what is computed from them; a Concat also from int64 constants.
     */
    private static Set<String> integerValues(OnnxGraph g) {
        Set<String> integer = new HashSet<>();
        for (OnnxGraph.Node n : g.nodes()) {
            boolean isInt = switch (n.op) {
                case "Shape" -> true;
                case "Cast" -> !castsToFloat(n);
                case "Concat" -> n.inputs.stream().anyMatch(in -> integer.contains(in) || isInt64Constant(g, in));
                default -> integer.contains(n.inputs.get(0)) || isInt64Constant(g, n.inputs.get(0));
            };
            if (isInt) integer.add(n.output);
        }
        return integer;
    }

    private static boolean isInt64Constant(OnnxGraph g, String name) {
        OnnxGraph.Tensor t = g.constant(name);
        return t != null && t.type() == OnnxGraph.INT64;
    }

    private static boolean castsToFloat(OnnxGraph.Node n) {
        for (OnnxGraph.Attr a : n.attrs) if (a.name().equals("to")) return a.ints()[0] == OnnxGraph.FLOAT;
        return false;
    }

    /**
     * Runs the float graph on {@code n} calibration inputs (N, 3, S, S) in batches and returns the
     * range of each target tensor. The graph {@code e} has written gets the targets as extra
     * outputs for the run only, serialised as the writer serialised it.
     */
    static Map<String, Range> calibrate(GraphEmitter e, float[] inputs, int n, int size) throws OrtException {
        OnnxGraph g = e.g;
        List<String> targets = targets(g);
        int kept = g.outputNames().size();
        for (String t : targets)
            if (!g.inputNames().contains(t)) g.outputOfAnyShape(t);   // targets are never graph outputs already
        byte[] model = e.toModel(e.modelName(), e.opset());
        g.keepOutputs(kept);
        Map<String, Range> ranges = new LinkedHashMap<>();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int per = 3 * size * size, batch = 8;
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(model, so)) {
                String input = g.inputNames().get(0);
                for (int from = 0; from < n; from += batch) {
                    int b = Math.min(batch, n - from);
                    FloatBuffer buf = FloatBuffer.wrap(inputs, from * per, b * per).slice();
                    try (OnnxTensor x = OnnxTensor.createTensor(env, buf, new long[]{b, 3, size, size});
                         OrtSession.Result r = s.run(Map.of(input, x))) {
                        for (String t : targets) {
                            Range seen = t.equals(input) ? range(inputs, from * per, b * per) : range(r.get(t).orElseThrow());
                            ranges.merge(t, seen, Range::union);
                        }
                    }
                }
            }
        }
        return ranges;
    }

    private static Range range(OnnxValue v) throws OrtException {
        FloatBuffer f = ((OnnxTensor) v).getFloatBuffer();
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        while (f.hasRemaining()) {
            float x = f.get();
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        return new Range(lo, hi);
    }

    private static Range range(float[] x, int from, int count) {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (int i = from; i < from + count; i++) {
            lo = Math.min(lo, x[i]);
            hi = Math.max(hi, x[i]);
        }
        return new Range(lo, hi);
    }

    /** Rewrites {@code g} in place into its QDQ form with these ranges (one per target). */
    static void quantize(OnnxGraph g, Map<String, Range> calibrated) {
        Map<String, Range> ranges = new HashMap<>(calibrated);
        // Operations that only move values keep one scale from input to output: widen all to the union.
        for (OnnxGraph.Node n : g.nodes()) {
            if (!SAME_SCALE.contains(n.op)) continue;
            List<String> tensors = new ArrayList<>(n.inputs);
            tensors.add(n.output);
            if (!tensors.stream().allMatch(ranges::containsKey)) continue;
            Range u = ranges.get(n.output);
            for (String t : tensors) u = u.union(ranges.get(t));
            for (String t : tensors) ranges.put(t, u);
        }
        List<String> targets = targets(g);
        Map<String, String> dequantized = new HashMap<>(), originals = new HashMap<>();
        for (String t : targets) {
            Range r = ranges.get(t);
            if (r == null) throw new IllegalStateException("no calibrated range for " + t);
            int at = producerIndex(g, t) + 1;
            String scale = g.initializer(g.fresh(t + "_scale"), new long[0], new float[]{r.scale()});
            String zp = g.initializer(g.fresh(t + "_zero"), new long[0], OnnxGraph.UINT8, new byte[]{(byte) r.zeroPoint()});
            String q = g.nodeAt(at, "QuantizeLinear", g.fresh(t + "_q"), List.of(t, scale, zp));
            String dq = g.nodeAt(at + 1, "DequantizeLinear", g.fresh(t + "_dq"), List.of(q, scale, zp));
            dequantized.put(t, dq);
            originals.put(dq, t);
        }
        // Every consumer reads the dequantised value (so the producer's only consumer is the
        // QuantizeLinear, which it fuses with); the quantisation nodes themselves read the original.
        for (OnnxGraph.Node n : g.nodes()) {
            if (n.op.equals("QuantizeLinear")) continue;
            for (int i = 0; i < n.inputs.size(); i++) {
                String dq = dequantized.get(n.inputs.get(i));
                if (dq != null) n.inputs.set(i, dq);
            }
        }
        for (OnnxGraph.Node n : new ArrayList<>(g.nodes())) {
            if (!n.op.equals("Conv")) continue;
            String input = originals.get(n.inputs.get(0));
            if (input == null) throw new IllegalStateException("convolution input " + n.inputs.get(0) + " is not quantised");
            quantizeWeights(g, n, ranges.get(input));
        }
        g.dropUnusedConstants();   // the float weights and biases the int8 ones replace
    }

    /** The index of the node producing {@code value}; -1 for a graph input. */
    private static int producerIndex(OnnxGraph g, String value) {
        List<OnnxGraph.Node> nodes = g.nodes();
        for (int i = 0; i < nodes.size(); i++) if (nodes.get(i).output.equals(value)) return i;
        if (g.inputNames().contains(value)) return -1;
        throw new IllegalStateException("no producer for " + value);
    }

    /**
     * The conv's weight as int8, symmetric per output channel, and its bias as int32 in the
     * scale input x weight (the integer kernel adds it to its int32 sums as is).
     */
    private static void quantizeWeights(OnnxGraph g, OnnxGraph.Node conv, Range input) {
        int at = g.nodes().indexOf(conv);
        OnnxGraph.Tensor w = g.constant(conv.inputs.get(1));
        if (w == null) throw new IllegalStateException("convolution " + conv.name + " has no constant weight");
        float[] wf = w.floats();
        int out = (int) w.dims()[0], per = wf.length / out;
        float[] scales = new float[out];
        byte[] q = new byte[wf.length];
        for (int o = 0; o < out; o++) {
            float max = 0;
            for (int j = 0; j < per; j++) max = Math.max(max, Math.abs(wf[o * per + j]));
            scales[o] = max > NEGLIGIBLE_WEIGHT ? max / WEIGHT_LEVELS : 1f;   // a dead channel: zero weights, a normal scale
            for (int j = 0; j < per; j++)
                q[o * per + j] = (byte) Math.max(-WEIGHT_LEVELS, Math.min(WEIGHT_LEVELS, Math.round(wf[o * per + j] / scales[o])));
        }
        String base = conv.inputs.get(1);
        String wq = g.initializer(g.fresh(base + "_int8"), w.dims(), OnnxGraph.INT8, q);
        String ws = g.initializer(g.fresh(base + "_scales"), new long[]{out}, scales);
        String wz = g.initializer(g.fresh(base + "_zeros"), new long[]{out}, OnnxGraph.INT8, new byte[out]);
        String wdq = g.nodeAt(at++, "DequantizeLinear", g.fresh(base + "_dq"), List.of(wq, ws, wz), OnnxGraph.Attr.i("axis", 0));
        conv.inputs.set(1, wdq);
        if (conv.inputs.size() > 2) {
            OnnxGraph.Tensor b = g.constant(conv.inputs.get(2));
            float[] bf = b.floats();
            float[] bs = new float[out];
            ByteBuffer bq = ByteBuffer.allocate(4 * out).order(ByteOrder.LITTLE_ENDIAN);
            for (int o = 0; o < out; o++) {
                bs[o] = input.scale() * scales[o];
                bq.putInt((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.round((double) bf[o] / bs[o]))));
            }
            String bname = conv.inputs.get(2);
            String bi = g.initializer(g.fresh(bname + "_int32"), new long[]{out}, OnnxGraph.INT32, bq.array());
            String bsn = g.initializer(g.fresh(bname + "_scales"), new long[]{out}, bs);
            String bz = g.initializer(g.fresh(bname + "_zeros"), new long[]{out}, OnnxGraph.INT32, new byte[4 * out]);
            String bdq = g.nodeAt(at, "DequantizeLinear", g.fresh(bname + "_dq"), List.of(bi, bsn, bz), OnnxGraph.Attr.i("axis", 0));
            conv.inputs.set(2, bdq);
        }
    }
}

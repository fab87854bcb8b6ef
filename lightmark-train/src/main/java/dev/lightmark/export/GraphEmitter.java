package dev.lightmark.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.model.layers.InvertedResidual;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Walks DJL blocks and emits the matching ONNX nodes into one {@link OnnxGraph}: the layers every
 * architecture shares (convolutions with their batch norms folded, Linear, the lambda activations
 * and pools, sequential blocks, inverted residuals) and small graph operations for the parts an
 * architecture's exporter writes itself. An architecture registers writers for its own blocks
 * with {@link #on}, so a sequential block holding them is still walked here.
 *
 * <p>Every fold and every lambda is checked against the DJL block on a probe input, so a layer
 * whose semantics differ from what is written fails the export instead of giving a wrong model.
 * Initialisers keep DJL's parameter names (for example
 * {@code 01stem_01SequentialBlock_01Conv2d_weight}); a folded convolution gains a {@code _bias}.
 */
final class GraphEmitter {
    /** A tensor in the graph being built: its name and its shape for batch 1. */
    record Value(String name, Shape shape) {}

    /** Writes one kind of block: its nodes for {@code in}, parameters named {@code prefix + local name}. */
    @FunctionalInterface
    interface BlockWriter<B extends Block> {
        Value write(GraphEmitter e, B block, String prefix, Value in);
    }

    /** DJL's BatchNorm epsilon when the builder is not told otherwise. */
    static final float DJL_DEFAULT_EPSILON = 1e-5f;

    final OnnxGraph g = new OnnxGraph();
    /** Scratch arrays of the layer checks. */
    private final NDManager probes;
    private final Map<Class<?>, BlockWriter<Block>> writers = new HashMap<>();
    private int constants;
    /** What the writer last serialised under, so a rewritten graph is serialised the same way. */
    private String modelName;
    private int opset;

    /**
     * Upsampling for a graph that will run on bytes ({@link Int8Quantizer}): ONNX Runtime's uint8
     * Resize, in the channels-last layout its integer kernels use, copies byte by byte through
     * index tables (0.18 ms of a 1.9 ms network for one 32x32x80 map); an Expand of the
     * channels-last map copies whole pixels, and the transposes around it cancel against the
     * runtime's own. Float graphs keep Resize, which the runtime runs in its blocked layout.
     */
    private final boolean bytes;

    GraphEmitter(NDManager probes) { this(probes, false); }

    GraphEmitter(NDManager probes, boolean bytes) {
        this.probes = probes;
        this.bytes = bytes;
    }

    /** Whether this graph will run on bytes (the int8 export), for writers whose best form differs. */
    boolean bytes() { return bytes; }

    /** Writes blocks of this class (exactly) with {@code w} wherever the walk meets them. */
    @SuppressWarnings("unchecked")
    <B extends Block> GraphEmitter on(Class<B> type, BlockWriter<B> w) {
        writers.put(type, (BlockWriter<Block>) w);
        return this;
    }

    /** The graph input {@value OnnxExporter#INPUT}: (N, 3, S, S) with a symbolic batch. */
    Value input(int size) {
        g.input(OnnxExporter.INPUT, -1, 3, size, size);
        return new Value(OnnxExporter.INPUT, new Shape(1, 3, size, size));
    }

    /** Marks {@code v} a graph output with a symbolic batch dimension. */
    void output(Value v) {
        long[] dims = v.shape().getShape().clone();
        dims[0] = -1;
        g.output(v.name(), dims);
    }

    /** The spec under {@code lightmark.*}, the decoder's keys and a description of input and output. */
    void metadata(ModelSpec spec, Map<String, String> decoder, String output) {
        g.metadata("lightmark.architecture", spec.architecture);
        g.metadata("lightmark.points", Integer.toString(spec.points));
        g.metadata("lightmark.width", Float.toString(spec.width));
        g.metadata("lightmark.inputSize", Integer.toString(spec.inputSize));
        g.metadata("lightmark.cropScale", Float.toString(spec.cropScale));
        g.metadata("lightmark.trainedOn", spec.trainedOn == null ? "" : spec.trainedOn);
        g.metadata("lightmark.input", "float (N, 3, " + spec.inputSize + ", " + spec.inputSize + ") RGB, (v - 127.5) / 128");
        g.metadata("lightmark.output", output);
        decoder.forEach(g::metadata);
    }

    /** The ModelProto (IR version 7 up to opset 13, 8 from opset 14, as ONNX pairs them). */
    byte[] toModel(String name, int opset) {
        modelName = name;
        this.opset = opset;
        return g.toModel(name, opset <= 13 ? OnnxExporter.IR_VERSION : 8, opset, "lightmark", "0.1.0");
    }

    String modelName() { return modelName; }

    int opset() { return opset; }

    // ---- blocks ----

    Value child(Block parent, String prefix, String name, Value in) {
        Pair<String, Block> c = find(parent, name);
        return emit(c.getValue(), prefix + c.getKey() + "_", in);
    }

    /** Emits {@code b}, whose parameters are named {@code prefix + local name}. */
    Value emit(Block b, String prefix, Value in) {
        BlockWriter<Block> w = writers.get(b.getClass());
        if (w != null) return w.write(this, b, prefix, in);
        if (b instanceof SequentialBlock seq) return sequential(seq, prefix, in);
        if (b instanceof InvertedResidual ir) {
            Value y = child(ir, prefix, "body", in);
            // The block adds its input when stride is 1 and channels are kept, i.e. exactly when
            // the body keeps the shape (a shape-changing body cannot have an identity shortcut).
            if (!y.shape().equals(in.shape())) return y;
            return add(prefix + "add", y, in);
        }
        if (b instanceof Conv2d conv) return conv(conv, null, prefix, in);
        if (b instanceof LambdaBlock lambda) return lambda(lambda, prefix, in);
        if (b instanceof Linear linear) return gemm(linear, null, prefix, in, prefix + "gemm");
        throw new UnsupportedOperationException("cannot export " + b.getClass().getSimpleName() + " at " + prefix);
    }

    /** The children in order; a convolution or Linear followed by a batch norm is one folded node. */
    Value sequential(SequentialBlock seq, String prefix, Value in) {
        List<Pair<String, Block>> kids = new ArrayList<>();
        seq.getChildren().forEach(kids::add);
        Value v = in;
        for (int i = 0; i < kids.size(); i++) {
            Block b = kids.get(i).getValue();
            String p = prefix + kids.get(i).getKey() + "_";
            BatchNorm bn = i + 1 < kids.size() && kids.get(i + 1).getValue() instanceof BatchNorm n ? n : null;
            if (b instanceof Conv2d conv) {
                v = conv(conv, bn, p, v);
                if (bn != null) i++;
            } else if (b instanceof Linear linear) {
                v = gemm(linear, bn, p, v, p + "gemm");
                if (bn != null) i++;
            } else if (b instanceof BatchNorm) {
                throw new UnsupportedOperationException("batch norm without a convolution or Linear before it at " + p);
            } else {
                v = emit(b, p, v);
            }
        }
        return v;
    }

    /** A convolution, with the following batch norm (if any) folded into its weight and bias. */
    Value conv(Conv2d conv, BatchNorm bn, String prefix, Value in) {
        Shape k = conv.getKernelShape(), st = conv.getStride(), pad = conv.getPadding(), dil = conv.getDilation();
        NDArray weight = param(conv, "weight");
        int out = (int) weight.getShape().get(0);
        float[] bias = conv.isIncludeBias() ? param(conv, "bias").toFloatArray() : new float[out];
        List<String> inputs = new ArrayList<>(List.of(in.name()));
        inputs.addAll(folded(weight, bias, bn, bn != null || conv.isIncludeBias(), prefix));
        String y = g.node("Conv", prefix + "conv", inputs,
                OnnxGraph.Attr.ints("kernel_shape", k.getShape()),
                OnnxGraph.Attr.ints("strides", st.getShape()),
                OnnxGraph.Attr.ints("pads", pad.get(0), pad.get(1), pad.get(0), pad.get(1)),
                OnnxGraph.Attr.ints("dilations", dil.getShape()),
                OnnxGraph.Attr.i("group", conv.getGroups()));
        return new Value(y, conv.getOutputShapes(new Shape[]{in.shape()})[0]);
    }

    /** A Linear block as Gemm (DJL keeps the weight as (units, inputs), hence transB), batch norm folded. */
    Value gemm(Linear linear, BatchNorm bn, String prefix, Value in, String output) {
        if (in.shape().dimension() != 2) throw new IllegalStateException("Linear at " + prefix + " needs a 2-D input, got " + in.shape());
        NDArray w = param(linear, "weight");
        if (w.getShape().get(1) != in.shape().get(1))
            throw new IllegalStateException("Linear at " + prefix + " expects " + w.getShape().get(1) + " inputs, got " + in.shape().get(1));
        List<String> inputs = new ArrayList<>(List.of(in.name()));
        inputs.addAll(folded(w, param(linear, "bias").toFloatArray(), bn, true, prefix));
        String y = g.node("Gemm", output, inputs, OnnxGraph.Attr.i("transB", 1));
        return new Value(y, new Shape(in.shape().get(0), w.getShape().get(0)));
    }

    /**
     * Weight and bias initialisers with the batch norm (if any) folded in, in double precision,
     * with the inference formula {@code gamma * (x - runningMean) / sqrt(runningVar + epsilon) + beta}
     * (DJL's momentum only matters in training). The weight's first axis is the output channel.
     */
    private List<String> folded(NDArray weight, float[] bias, BatchNorm bn, boolean withBias, String prefix) {
        float[] w = weight.toFloatArray();
        int out = bias.length, perOut = w.length / out;
        double[] scale = new double[out], shift = new double[out];
        Arrays.fill(scale, 1);
        for (int o = 0; o < out; o++) shift[o] = bias[o];
        if (bn != null) {
            float[] gamma = param(bn, "gamma").toFloatArray(), beta = param(bn, "beta").toFloatArray();
            float[] mean = param(bn, "runningMean").toFloatArray(), var = param(bn, "runningVar").toFloatArray();
            if (gamma.length != out) throw new IllegalStateException("batch norm at " + prefix + " has " + gamma.length + " channels, layer " + out);
            double eps = epsilon(bn);
            for (int o = 0; o < out; o++) {
                scale[o] = gamma[o] / Math.sqrt((double) var[o] + eps);
                shift[o] = (bias[o] - (double) mean[o]) * scale[o] + beta[o];
            }
            checkFold(bn, prefix, scale, shift, bias);
        }
        float[] fw = new float[w.length], fb = new float[out];
        for (int o = 0; o < out; o++) {
            for (int j = 0; j < perOut; j++) fw[o * perOut + j] = (float) (w[o * perOut + j] * scale[o]);
            fb[o] = (float) shift[o];
        }
        List<String> names = new ArrayList<>(List.of(g.initializer(prefix + "weight", weight.getShape().getShape(), fw)));
        if (withBias) names.add(g.initializer(prefix + "bias", new long[]{out}, fb));
        return names;
    }

    /** A parameter-free lambda block: identified on a probe as one of the layers written here. */
    Value lambda(LambdaBlock lambda, String prefix, Value in) {
        float[] x = new float[2 * 4 * 4];
        for (int i = 0; i < x.length; i++) x[i] = -5f + 10f * ((i * 7) % x.length) / (x.length - 1);
        NDArray y;
        float[] out;
        long[] shape;
        try (NDManager m = probes.newSubManager()) {
            y = lambda.forward(new ParameterStore(m, false), new NDList(m.create(x, new Shape(1, 2, 4, 4))), false).singletonOrThrow();
            out = y.toFloatArray();
            shape = y.getShape().getShape();
        }
        if (Arrays.equals(shape, new long[]{1, 2, 4, 4})) {
            if (matches(out, x, v -> Math.max(0f, v))) return relu(prefix + "relu", in);
            if (matches(out, x, v -> v * Math.min(6f, Math.max(0f, v + 3f)) / 6f)) return hardSwish(prefix + "hswish", in);
        } else if (Arrays.equals(shape, new long[]{1, 2, 2, 2})) {
            float[] pooled = new float[8];
            for (int c = 0; c < 2; c++)
                for (int i = 0; i < 2; i++)
                    for (int j = 0; j < 2; j++) {
                        int a = c * 16 + 2 * i * 4 + 2 * j;
                        pooled[c * 4 + i * 2 + j] = Math.max(Math.max(x[a], x[a + 1]), Math.max(x[a + 4], x[a + 5]));
                    }
            if (Arrays.equals(out, pooled)) return maxPool2(prefix + "maxpool", in);
        } else if (Arrays.equals(shape, new long[]{1, 32}) && Arrays.equals(out, x)) {
            String f = g.node("Flatten", prefix + "flatten", List.of(in.name()), OnnxGraph.Attr.i("axis", 1));
            return new Value(f, new Shape(in.shape().get(0), in.shape().size() / in.shape().get(0)));
        }
        throw new UnsupportedOperationException("the lambda block at " + prefix
                + " is none of ReLU, hard swish, 2x2 max pool, flatten (probe output " + Arrays.toString(shape) + ")");
    }

    private static boolean matches(float[] y, float[] x, java.util.function.DoubleUnaryOperator f) {
        for (int i = 0; i < x.length; i++)
            if (Math.abs(y[i] - f.applyAsDouble(x[i])) > 1e-5 * (1 + Math.abs(y[i]))) return false;
        return true;
    }

    // ---- graph operations (shapes tracked for batch 1) ----

    /** The same tensor under another name (to give a graph output its documented name). */
    Value identity(String name, Value x) { return unary("Identity", name, x); }

    Value relu(String name, Value x) { return unary("Relu", name, x); }

    Value sigmoid(String name, Value x) { return unary("Sigmoid", name, x); }

    private Value unary(String op, String name, Value x) { return new Value(g.node(op, name, List.of(x.name())), x.shape()); }

    /**
     * x * clip(x + 3, 0, 6) / 6 in opset-13 operations. A graph on bytes writes it as x times
     * HardSigmoid(x / 6 + 1/2), the same function in two nodes instead of four: there it runs in
     * float between quantised convs on tensors of a few hundred values, where each node costs
     * its dispatch more than its arithmetic.
     */
    Value hardSwish(String name, Value x) {
        if (bytes) {
            String gate = g.node("HardSigmoid", name + "_gate", List.of(x.name()), OnnxGraph.Attr.f("alpha", 1f / 6f),
                    OnnxGraph.Attr.f("beta", 0.5f));
            return new Value(g.node("Mul", name, List.of(x.name(), gate)), x.shape());
        }
        String plus3 = g.node("Add", name + "_plus3", List.of(x.name(), scalar(3f)));
        String clipped = g.node("Clip", name + "_clip", List.of(plus3, scalar(0f), scalar(6f)));
        String times = g.node("Mul", name + "_mul", List.of(x.name(), clipped));
        return new Value(g.node("Mul", name, List.of(times, scalar(1f / 6f))), x.shape());
    }

    Value add(String name, Value a, Value b) { return binary("Add", name, a, b); }

    Value mul(String name, Value a, Value b) { return binary("Mul", name, a, b); }

    /** Elementwise with numpy broadcasting; the result has the larger of each dimension. */
    private Value binary(String op, String name, Value a, Value b) {
        long[] x = a.shape().getShape(), y = b.shape().getShape();
        if (x.length != y.length) throw new IllegalStateException(op + " " + name + ": ranks " + a.shape() + " and " + b.shape());
        long[] z = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            if (x[i] != y[i] && x[i] != 1 && y[i] != 1)
                throw new IllegalStateException(op + " " + name + ": shapes " + a.shape() + " and " + b.shape() + " do not broadcast");
            z[i] = Math.max(x[i], y[i]);
        }
        return new Value(g.node(op, name, List.of(a.name(), b.name())), new Shape(z));
    }

    /** x * c for a float constant. */
    Value scale(String name, Value x, float c) { return new Value(g.node("Mul", name, List.of(x.name(), scalar(c))), x.shape()); }

    /** 2x2 max pool, stride 2, no padding (DJL's {@code maxPool2d} with those settings). */
    Value maxPool2(String name, Value x) {
        Shape s = x.shape();
        String y = g.node("MaxPool", name, List.of(x.name()), OnnxGraph.Attr.ints("kernel_shape", 2, 2), OnnxGraph.Attr.ints("strides", 2, 2));
        return new Value(y, new Shape(s.get(0), s.get(1), s.get(2) / 2, s.get(3) / 2));
    }

    /** 2x2 average pool, stride 2 (a mean of each 2x2 block). */
    Value averagePool2(String name, Value x) {
        Shape s = x.shape();
        String y = g.node("AveragePool", name, List.of(x.name()), OnnxGraph.Attr.ints("kernel_shape", 2, 2), OnnxGraph.Attr.ints("strides", 2, 2));
        return new Value(y, new Shape(s.get(0), s.get(1), s.get(2) / 2, s.get(3) / 2));
    }

    /** Average pool with a (kh, kw) window and the same stride, no padding: e.g. (1, W) is a mean along W. */
    Value averagePool(String name, Value x, long kh, long kw) {
        Shape s = x.shape();
        String y = g.node("AveragePool", name, List.of(x.name()), OnnxGraph.Attr.ints("kernel_shape", kh, kw),
                OnnxGraph.Attr.ints("strides", kh, kw));
        return new Value(y, new Shape(s.get(0), s.get(1), s.get(2) / kh, s.get(3) / kw));
    }

    /** Nearest-neighbour x2 upsampling of the two spatial axes (every value repeated, as DJL's repeat). */
    Value doubleSize(String name, Value x) {
        Shape s = x.shape();
        if (bytes) {   // (N, C, H, W) -> (N, H, 1, W, 1, C) -> expanded to (N, H, 2, W, 2, C) -> (N, C, 2H, 2W)
            long c = s.get(1), h = s.get(2), w = s.get(3);
            Value split = reshape(name + "_split", transpose(name + "_last", x, 0, 2, 3, 1), -1, h, 1, w, 1, c);
            Value twice = new Value(g.node("Expand", name + "_twice", List.of(split.name(), ints(name + "_factors", 1, 1, 2, 1, 2, 1))),
                    new Shape(split.shape().get(0), h, 2, w, 2, c));
            return transpose(name + "_first", reshape(name + "_join", twice, -1, 2 * h, 2 * w, c), 0, 3, 1, 2);
        }
        String y = g.node("Resize", name, List.of(x.name(), "", g.initializer(name + "_scales", new long[]{4}, new float[]{1, 1, 2, 2})),
                OnnxGraph.Attr.s("mode", "nearest"), OnnxGraph.Attr.s("coordinate_transformation_mode", "asymmetric"),
                OnnxGraph.Attr.s("nearest_mode", "floor"));
        return new Value(y, new Shape(s.get(0), s.get(1), 2 * s.get(2), 2 * s.get(3)));
    }

    /** Mean over all spatial positions: (N, C, H, W) to (N, C, 1, 1). */
    Value globalAveragePool(String name, Value x) {
        Shape s = x.shape();
        return new Value(g.node("GlobalAveragePool", name, List.of(x.name())), new Shape(s.get(0), s.get(1), 1, 1));
    }

    /** Mean along one axis, kept with size 1. */
    Value reduceMean(String name, Value x, int axis) {
        long[] s = x.shape().getShape().clone();
        s[axis] = 1;
        return new Value(g.node("ReduceMean", name, List.of(x.name()), OnnxGraph.Attr.ints("axes", axis), OnnxGraph.Attr.i("keepdims", 1)),
                new Shape(s));
    }

    Value transpose(String name, Value x, long... perm) {
        long[] s = x.shape().getShape(), t = new long[perm.length];
        for (int i = 0; i < perm.length; i++) t[i] = s[(int) perm[i]];
        return new Value(g.node("Transpose", name, List.of(x.name()), OnnxGraph.Attr.ints("perm", perm)), new Shape(t));
    }

    Value concat(String name, int axis, Value... xs) {
        long[] s = xs[0].shape().getShape().clone();
        s[axis] = 0;
        List<String> names = new ArrayList<>();
        for (Value v : xs) {
            s[axis] += v.shape().get(axis);
            names.add(v.name());
        }
        return new Value(g.node("Concat", name, names, OnnxGraph.Attr.i("axis", axis)), new Shape(s));
    }

    /** {@code x[..., from:to, ...]} along one axis. */
    Value slice(String name, Value x, int axis, long from, long to) {
        long[] s = x.shape().getShape().clone();
        s[axis] = to - from;
        String y = g.node("Slice", name, List.of(x.name(), ints(name + "_starts", from), ints(name + "_ends", to), ints(name + "_axes", axis)));
        return new Value(y, new Shape(s));
    }

    /** Reshape; a first dimension of -1 takes what is left (the batch, or the batch times a count). */
    Value reshape(String name, Value x, long... dims) {
        long[] s = dims.clone();
        if (s[0] == -1) {
            long rest = 1;
            for (int i = 1; i < s.length; i++) rest *= s[i];
            if (x.shape().size() % rest != 0) throw new IllegalStateException("cannot reshape " + x.shape() + " at " + name);
            s[0] = x.shape().size() / rest;
        }
        return new Value(g.node("Reshape", name, List.of(x.name(), ints(name + "_shape", dims))), new Shape(s));
    }

    /**
     * A constant of shape (1, ...) repeated over the batch of {@code like}: Shape, Slice and Expand,
     * so the graph keeps its symbolic batch.
     */
    Value batchOf(String name, String constant, Shape constantShape, Value like) {
        String shape = g.node("Shape", name + "_inshape", List.of(like.name()));
        String n = g.node("Slice", name + "_n", List.of(shape, ints(name + "_n0", 0), ints(name + "_n1", 1)));
        long[] rest = Arrays.copyOfRange(constantShape.getShape(), 1, constantShape.dimension());
        String full = g.node("Concat", name + "_shape", List.of(n, g.initializer(name + "_rest", new long[]{rest.length}, rest)),
                OnnxGraph.Attr.i("axis", 0));
        long[] s = constantShape.getShape().clone();
        s[0] = like.shape().get(0);
        return new Value(g.node("Expand", name, List.of(constant, full)), new Shape(s));
    }

    /** A float scalar initializer (shape []), named uniquely. */
    String scalar(float v) { return g.initializer("const" + (constants++), new long[0], new float[]{v}); }

    /** A 1-D int64 initializer. */
    String ints(String name, long... v) { return g.initializer(name, new long[]{v.length}, v); }

    // ---- checks and lookups ----

    /** The BatchNorm's epsilon (a private field in DJL 0.35); its builder default if unreadable. */
    private static double epsilon(BatchNorm bn) {
        try {
            Field f = BatchNorm.class.getDeclaredField("epsilon");
            if (f.trySetAccessible()) return f.getFloat(bn);
        } catch (ReflectiveOperationException | RuntimeException ignored) {
            // fall through: the fold check below still catches a different epsilon
        }
        return DJL_DEFAULT_EPSILON;
    }

    /** Runs the DJL batch norm on a probe and compares it with the folded affine map. */
    private void checkFold(BatchNorm bn, String prefix, double[] scale, double[] shift, float[] bias) {
        int c = scale.length;
        float[] x = new float[c];
        double[] expect = new double[c];
        for (int o = 0; o < c; o++) {
            x[o] = 1f + 0.25f * (o % 7);
            // folded = scale * (x_without_bias) + shift, where the layer's output includes its bias
            expect[o] = scale[o] * (x[o] - bias[o]) + shift[o];
        }
        float[] y;
        try (NDManager m = probes.newSubManager()) {
            NDList out = bn.forward(new ParameterStore(m, false), new NDList(m.create(x, new Shape(1, c, 1, 1))), false);
            y = out.singletonOrThrow().toFloatArray();
        }
        for (int o = 0; o < c; o++) {
            if (Math.abs(y[o] - expect[o]) > 1e-4 * (1 + Math.abs(expect[o])))
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "batch norm at %s does not match the folded form (channel %d: DJL %g, folded %g); "
                                + "unsupported epsilon/axis/center/scale settings?", prefix, o, y[o], expect[o]));
        }
    }

    static NDArray param(Block b, String name) {
        Parameter p = b.getDirectParameters().get(name);
        if (p == null || !p.isInitialized()) throw new IllegalStateException(b.getClass().getSimpleName() + " has no parameter " + name);
        return p.getArray();
    }

    /** A child by its given name (DJL stores it as a two-digit position followed by the name). */
    static Pair<String, Block> find(Block parent, String name) {
        for (Pair<String, Block> c : parent.getChildren())
            if (c.getKey().replaceFirst("^\\d+", "").equals(name)) return c;
        throw new IllegalStateException(parent.getClass().getSimpleName() + " has no child '" + name + "'");
    }

    /** The children of a sequential block, in order. */
    static List<Pair<String, Block>> children(Block parent) {
        List<Pair<String, Block>> kids = new ArrayList<>();
        parent.getChildren().forEach(kids::add);
        return kids;
    }
}

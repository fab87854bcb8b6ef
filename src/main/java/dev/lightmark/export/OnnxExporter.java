package dev.lightmark.export;

import ai.djl.engine.Engine;
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
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.model.ModelFile;
import dev.lightmark.model.ModelSpec;
import dev.lightmark.model.TorchSetup;
import dev.lightmark.model.layers.InvertedResidual;
import dev.lightmark.model.pfld.PfldNet;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Writes a PFLD landmark network as an ONNX model (opset 13, IR version 7) that ONNX Runtime and
 * other ONNX tools can run without DJL or PyTorch.
 *
 * <p>The graph has one input {@value #INPUT}, float (N, 3, S, S) normalised as for
 * {@link LandmarkPredictor#forward} (RGB, {@code (v - 127.5) / 128}), and one output {@value #OUTPUT},
 * float (N, 2K): x0, y0, x1, y1, ... in crop units. N is a symbolic (dynamic) batch dimension.
 * Only the inference path is exported; the auxiliary pose network is left out.
 *
 * <p>Each batch norm is folded into the convolution before it, in double precision, with the
 * inference formula {@code gamma * (x - runningMean) / sqrt(runningVar + epsilon) + beta}
 * (DJL's default epsilon is 1e-5; its momentum only matters in training). Every fold and every
 * activation is checked against the DJL block itself on a probe input, so a layer whose
 * semantics differ from what is written fails the export instead of giving a wrong model.
 * Initialisers keep DJL's parameter names (for example
 * {@code 01stem_01SequentialBlock_01Conv2d_weight}); a folded convolution gains a {@code _bias}.
 *
 * <p>The model's {@link ModelSpec} is stored in the metadata under keys {@code lightmark.*}.
 */
public final class OnnxExporter {
    public static final String INPUT = "input";
    public static final String OUTPUT = "landmarks";
    public static final int OPSET = 13;
    static final int IR_VERSION = 7;
    /** DJL's BatchNorm epsilon when the builder is not told otherwise. */
    static final float DJL_DEFAULT_EPSILON = 1e-5f;

    private OnnxExporter() {}

    /** The ONNX bytes of a loaded model file. */
    public static byte[] toOnnx(ModelFile.Loaded model) {
        if (!(model.block() instanceof PfldNet net))
            throw new IllegalArgumentException("only PFLD networks can be exported, got " + model.block().getClass().getSimpleName());
        return toOnnx(net, model.spec());
    }

    /**
     * The ONNX bytes of an initialised PFLD network. {@code spec} only feeds the metadata; when
     * null, one is made from the network's points and width.
     */
    public static byte[] toOnnx(PfldNet net, ModelSpec spec) {
        if (!net.isInitialized()) throw new IllegalArgumentException("the network has no weights yet (initialise or load it first)");
        if (spec == null) {
            spec = new ModelSpec();
            spec.points = net.points();
            spec.width = net.width();
        }
        if (spec.points != net.points())
            throw new IllegalArgumentException("spec says " + spec.points + " points, network has " + net.points());
        NDManager weights = net.getParameters().get(0).getValue().getArray().getManager();
        try (NDManager probes = weights.newSubManager()) {
            return new Emitter(spec.inputSize, probes).pfld(net, spec);
        }
    }

    /**
     * Writes the ONNX file (through a temporary file, so a crash leaves no half-written model) and
     * its checksum manifest {@code NAME.onnx.sha256} beside it.
     */
    public static void export(ModelFile.Loaded model, Path out) throws IOException {
        byte[] bytes = toOnnx(model);
        Path abs = out.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) ch.write(b);
                ch.force(true);
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            dev.lightmark.io.ModelChecksums.writeManifest(abs, bytes);   // NAME.onnx.sha256, checked on every load
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Loads a .lmk file (the bundled model when {@code lmk} is null) and writes it as ONNX. */
    public static void export(Path lmk, Path out) throws IOException {
        TorchSetup.configure(1);
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            export(load(lmk, m), out);
        }
    }

    /** Loads a .lmk file, or the bundled model when {@code lmk} is null. */
    static ModelFile.Loaded load(Path lmk, NDManager m) throws IOException {
        if (lmk == null)
            return ModelFile.load(new java.io.ByteArrayInputStream(dev.lightmark.io.BundledResources.read(LandmarkPredictor.BUNDLED_LMK)),
                    LandmarkPredictor.BUNDLED_LMK, m);
        if (!Files.isRegularFile(lmk)) throw new IOException("model file not found: " + lmk);
        try (InputStream in = Files.newInputStream(lmk)) {
            return ModelFile.load(in, lmk.toString(), m);
        }
    }

    /** {@code OnnxExporter [MODEL.lmk] OUT.onnx}: without MODEL.lmk, exports the bundled model. */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: OnnxExporter [MODEL.lmk] OUT.onnx   (no MODEL: the bundled model)");
            System.exit(2);
        }
        Path lmk = args.length == 2 ? Path.of(args[0]) : null;
        Path out = Path.of(args[args.length - 1]);
        export(lmk, out);
        System.out.printf(Locale.ROOT, "wrote %s (%,d bytes)%n", out, Files.size(out));
    }

    /** A tensor in the graph being built: its name and its shape for batch 1. */
    private record Value(String name, Shape shape) {}

    /** Walks the block tree and emits nodes into one graph. */
    private static final class Emitter {
        private final OnnxGraph g = new OnnxGraph();
        private final int size;
        /** Scratch arrays of the layer checks. */
        private final NDManager probes;

        Emitter(int size, NDManager probes) {
            this.size = size;
            this.probes = probes;
        }

        byte[] pfld(PfldNet net, ModelSpec spec) {
            g.input(INPUT, -1, 3, size, size);
            Value in = new Value(INPUT, new Shape(1, 3, size, size));
            Value f28 = child(net, "", "stem", in);
            f28 = child(net, "", "stage28", f28);
            Value s1 = child(net, "", "stage14", f28);
            Value s2 = child(net, "", "toS2", s1);
            Value s3 = child(net, "", "toS3", s2);
            String p1 = g.node("Flatten", "s1_vector",
                    List.of(g.node("GlobalAveragePool", "s1_pool", List.of(s1.name()))), OnnxGraph.Attr.i("axis", 1));
            String p2 = g.node("Flatten", "s2_vector",
                    List.of(g.node("GlobalAveragePool", "s2_pool", List.of(s2.name()))), OnnxGraph.Attr.i("axis", 1));
            if (s3.shape().size() != s3.shape().get(1))
                throw new IllegalStateException("S3 should be (N, C, 1, 1), is " + s3.shape());
            String p3 = g.node("Flatten", "s3_vector", List.of(s3.name()), OnnxGraph.Attr.i("axis", 1));
            long features = s1.shape().get(1) + s2.shape().get(1) + s3.shape().get(1);
            String fused = g.node("Concat", "fused", List.of(p1, p2, p3), OnnxGraph.Attr.i("axis", 1));

            Pair<String, Block> head = find(net, "head");
            if (!(head.getValue() instanceof Linear linear)) throw new IllegalStateException("head is not a Linear block");
            Value out = gemm(linear, head.getKey() + "_", new Value(fused, new Shape(1, features)), OUTPUT);
            long outputs = out.shape().get(1);
            if (outputs != 2L * net.points())
                throw new IllegalStateException("head gives " + outputs + " values, expected " + 2 * net.points());
            g.output(OUTPUT, -1, outputs);

            g.metadata("lightmark.architecture", spec.architecture);
            g.metadata("lightmark.points", Integer.toString(spec.points));
            g.metadata("lightmark.width", Float.toString(spec.width));
            g.metadata("lightmark.inputSize", Integer.toString(spec.inputSize));
            g.metadata("lightmark.cropScale", Float.toString(spec.cropScale));
            g.metadata("lightmark.trainedOn", spec.trainedOn == null ? "" : spec.trainedOn);
            g.metadata("lightmark.input", "float (N, 3, " + size + ", " + size + ") RGB, (v - 127.5) / 128");
            g.metadata("lightmark.output", "float (N, " + outputs + ") x0, y0, x1, y1, ... in crop units (0..1)");
            return g.toModel("pfld", IR_VERSION, OPSET, "lightmark", "0.1.0");
        }

        private Value child(Block parent, String prefix, String name, Value in) {
            Pair<String, Block> c = find(parent, name);
            return emit(c.getValue(), prefix + c.getKey() + "_", in);
        }

        /** Emits {@code b}, whose parameters are named {@code prefix + local name}. */
        private Value emit(Block b, String prefix, Value in) {
            if (b instanceof SequentialBlock seq) return sequential(seq, prefix, in);
            if (b instanceof InvertedResidual ir) {
                Value y = child(ir, prefix, "body", in);
                // The block adds its input when stride is 1 and channels are kept, i.e. exactly when
                // the body keeps the shape (a shape-changing body cannot have an identity shortcut).
                if (!y.shape().equals(in.shape())) return y;
                return new Value(g.node("Add", prefix + "add", List.of(y.name(), in.name())), y.shape());
            }
            if (b instanceof Conv2d conv) return conv(conv, null, prefix, in);
            if (b instanceof LambdaBlock lambda) {
                checkRelu(lambda, prefix);
                return new Value(g.node("Relu", prefix + "relu", List.of(in.name())), in.shape());
            }
            if (b instanceof Linear linear) return gemm(linear, prefix, in, prefix + "gemm");
            throw new UnsupportedOperationException("cannot export " + b.getClass().getSimpleName() + " at " + prefix);
        }

        private Value sequential(SequentialBlock seq, String prefix, Value in) {
            List<Pair<String, Block>> kids = new ArrayList<>();
            seq.getChildren().forEach(kids::add);
            Value v = in;
            for (int i = 0; i < kids.size(); i++) {
                Block b = kids.get(i).getValue();
                String p = prefix + kids.get(i).getKey() + "_";
                if (b instanceof Conv2d conv) {
                    BatchNorm bn = i + 1 < kids.size() && kids.get(i + 1).getValue() instanceof BatchNorm n ? n : null;
                    v = conv(conv, bn, p, v);
                    if (bn != null) i++;
                } else if (b instanceof BatchNorm) {
                    throw new UnsupportedOperationException("batch norm without a convolution before it at " + p);
                } else {
                    v = emit(b, p, v);
                }
            }
            return v;
        }

        /** A convolution, with the following batch norm (if any) folded into its weight and bias. */
        private Value conv(Conv2d conv, BatchNorm bn, String prefix, Value in) {
            Shape k = conv.getKernelShape(), st = conv.getStride(), pad = conv.getPadding(), dil = conv.getDilation();
            float[] w = param(conv, "weight").toFloatArray();
            Shape ws = param(conv, "weight").getShape();
            int out = (int) ws.get(0);
            int perOut = w.length / out;
            double[] scale = new double[out], shift = new double[out];
            float[] convBias = conv.isIncludeBias() ? param(conv, "bias").toFloatArray() : new float[out];
            Arrays.fill(scale, 1);
            for (int o = 0; o < out; o++) shift[o] = convBias[o];
            if (bn != null) {
                float[] gamma = param(bn, "gamma").toFloatArray(), beta = param(bn, "beta").toFloatArray();
                float[] mean = param(bn, "runningMean").toFloatArray(), var = param(bn, "runningVar").toFloatArray();
                if (gamma.length != out) throw new IllegalStateException("batch norm at " + prefix + " has " + gamma.length + " channels, conv " + out);
                double eps = epsilon(bn);
                for (int o = 0; o < out; o++) {
                    scale[o] = gamma[o] / Math.sqrt((double) var[o] + eps);
                    shift[o] = (convBias[o] - (double) mean[o]) * scale[o] + beta[o];
                }
                checkFold(bn, prefix, scale, shift, convBias);
            }
            float[] fw = new float[w.length], fb = new float[out];
            for (int o = 0; o < out; o++) {
                for (int j = 0; j < perOut; j++) fw[o * perOut + j] = (float) (w[o * perOut + j] * scale[o]);
                fb[o] = (float) shift[o];
            }
            String wName = g.initializer(prefix + "weight", ws.getShape(), fw);
            List<String> inputs = new ArrayList<>(List.of(in.name(), wName));
            if (bn != null || conv.isIncludeBias()) inputs.add(g.initializer(prefix + "bias", new long[]{out}, fb));
            String y = g.node("Conv", prefix + "conv", inputs,
                    OnnxGraph.Attr.ints("kernel_shape", k.getShape()),
                    OnnxGraph.Attr.ints("strides", st.getShape()),
                    OnnxGraph.Attr.ints("pads", pad.get(0), pad.get(1), pad.get(0), pad.get(1)),
                    OnnxGraph.Attr.ints("dilations", dil.getShape()),
                    OnnxGraph.Attr.i("group", conv.getGroups()));
            return new Value(y, conv.getOutputShapes(new Shape[]{in.shape()})[0]);
        }

        /** A Linear block as Gemm (DJL keeps the weight as (units, inputs), hence transB). */
        private Value gemm(Linear linear, String prefix, Value in, String output) {
            if (in.shape().dimension() != 2) throw new IllegalStateException("Linear at " + prefix + " needs a 2-D input, got " + in.shape());
            NDArray w = param(linear, "weight"), b = param(linear, "bias");
            if (w.getShape().get(1) != in.shape().get(1))
                throw new IllegalStateException("Linear at " + prefix + " expects " + w.getShape().get(1) + " inputs, got " + in.shape().get(1));
            String wn = g.initializer(prefix + "weight", w.getShape().getShape(), w.toFloatArray());
            String bn = g.initializer(prefix + "bias", b.getShape().getShape(), b.toFloatArray());
            String y = g.node("Gemm", output, List.of(in.name(), wn, bn), OnnxGraph.Attr.i("transB", 1));
            return new Value(y, new Shape(in.shape().get(0), w.getShape().get(0)));
        }

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
        private void checkFold(BatchNorm bn, String prefix, double[] scale, double[] shift, float[] convBias) {
            int c = scale.length;
            float[] x = new float[c];
            double[] expect = new double[c];
            for (int o = 0; o < c; o++) {
                x[o] = 1f + 0.25f * (o % 7);
                // folded = scale * (x_without_bias) + shift, where the conv output includes its bias
                expect[o] = scale[o] * (x[o] - convBias[o]) + shift[o];
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

        /** The only activation in these networks is ReLU, added as a lambda; check that it is one. */
        private void checkRelu(LambdaBlock lambda, String prefix) {
            float[] x = {-3f, -1f, -0.25f, 0f, 0.5f, 2f, 7f};
            try (NDManager m = probes.newSubManager()) {
                float[] y = lambda.forward(new ParameterStore(m, false), new NDList(m.create(x, new Shape(1, x.length))), false)
                        .singletonOrThrow().toFloatArray();
                for (int i = 0; i < x.length; i++)
                    if (y.length != x.length || y[i] != Math.max(0f, x[i]))
                        throw new UnsupportedOperationException("the lambda block at " + prefix + " is not a ReLU");
            }
        }

        private static NDArray param(Block b, String name) {
            Parameter p = b.getDirectParameters().get(name);
            if (p == null || !p.isInitialized()) throw new IllegalStateException(b.getClass().getSimpleName() + " has no parameter " + name);
            return p.getArray();
        }

        /** A child by its given name (DJL stores it as a two-digit position followed by the name). */
        private static Pair<String, Block> find(Block parent, String name) {
            for (Pair<String, Block> c : parent.getChildren())
                if (c.getKey().replaceFirst("^\\d+", "").equals(name)) return c;
            throw new IllegalStateException(parent.getClass().getSimpleName() + " has no child '" + name + "'");
        }
    }
}

package dev.lightmark.export;

import dev.lightmark.train.CalibrationFaces;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.lightmark.infer.DecoderMetadata;
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.train.ModelFile;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.model.layers.TorchSetup;
import dev.lightmark.model.pfld.PfldNet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Writes a trained landmark network as an ONNX model (opset 13, IR version 7) that ONNX Runtime
 * and other ONNX tools can run without DJL or PyTorch.
 * Each architecture that can ship has its graph writer, found by name in {@link OnnxExports}:
 * PFLD, the hourglass, the TSAL two-head net and the selective cascade.
 *
 * <p>The graph has one input {@value #INPUT}, float (N, 3, S, S) normalised as for
 * {@link LandmarkPredictor#forward} (RGB, {@code (v - 127.5) / 128}). Its outputs are what the
 * network computes before decoding (PFLD and the cascade: {@value #OUTPUT} (N, 2K), x0, y0, x1,
 * y1, ... in crop units; the hourglass: heatmaps; TSAL: heatmaps and points); the metadata names
 * the decoder that turns them into points ({@link DecoderMetadata}), the same one the DJL network
 * uses. N is a symbolic (dynamic) batch dimension. Only the inference path is exported (no
 * auxiliary pose network, no intermediate hourglass supervision).
 *
 * <p>Each batch norm is folded into the convolution or Linear before it, in double precision;
 * every fold and every parameter-free layer is checked against the DJL block itself on a probe
 * input ({@link GraphEmitter}), so a layer whose semantics differ from what is written fails the
 * export instead of giving a wrong model.
 *
 * <p>The model's {@link ModelSpec} is stored in the metadata under keys {@code lightmark.*}.
 */
public final class OnnxExporter {
    public static final String INPUT = "input";
    public static final String OUTPUT = "landmarks";
    public static final int OPSET = 13;
    static final int IR_VERSION = 7;

    private OnnxExporter() {}

    /** The ONNX bytes of a loaded model file, by its architecture's writer. */
    public static byte[] toOnnx(ModelFile.Loaded model) { return toOnnx(model.block(), model.spec()); }

    /** The ONNX bytes of an initialised network of the architecture {@code spec} names. */
    public static byte[] toOnnx(Block net, ModelSpec spec) {
        if (!net.isInitialized()) throw new IllegalArgumentException("the network has no weights yet (initialise or load it first)");
        OnnxExports.Writer w = OnnxExports.get(spec.architecture);
        NDManager weights = net.getParameters().get(0).getValue().getArray().getManager();
        try (NDManager probes = weights.newSubManager()) {
            return w.write(net, spec, new GraphEmitter(probes));
        }
    }

    /**
     * The network as an int8 model in QDQ form ({@link Int8Quantizer}): the float graph, its
     * activation ranges measured on {@code calibration}, then quantised. The metadata records
     * the calibration source under {@code lightmark.quantization}.
     */
    public static byte[] toInt8Onnx(Block net, ModelSpec spec, CalibrationFaces.Inputs calibration) {
        if (!net.isInitialized()) throw new IllegalArgumentException("the network has no weights yet (initialise or load it first)");
        if (!Int8Quantizer.ARCHITECTURES.contains(spec.architecture))
            throw new IllegalArgumentException("int8 export is checked for " + String.join(", ", Int8Quantizer.ARCHITECTURES)
                    + " models, not " + spec.architecture + " (export it as float ONNX)");
        OnnxExports.Writer w = OnnxExports.get(spec.architecture);
        NDManager weights = net.getParameters().get(0).getValue().getArray().getManager();
        try (NDManager probes = weights.newSubManager()) {
            GraphEmitter e = new GraphEmitter(probes, true);
            w.write(net, spec, e);
            var ranges = Int8Quantizer.calibrate(e, calibration.data(), calibration.count(), spec.inputSize);
            Int8Quantizer.quantize(e.g, ranges);
            e.g.metadata("lightmark.quantization", "int8 QDQ (uint8 activations per tensor, 7-bit int8 weights per channel), calibrated on "
                    + calibration.source());
            return e.toModel(e.modelName(), e.opset());
        } catch (ai.onnxruntime.OrtException ex) {
            throw new IllegalStateException("calibration run failed: " + ex.getMessage(), ex);
        }
    }

    /**
     * The ONNX bytes of an initialised PFLD network. {@code spec} only feeds the metadata; when
     * null, one is made from the network's points and width.
     */
    public static byte[] toOnnx(PfldNet net, ModelSpec spec) {
        if (spec == null) {
            spec = new ModelSpec();
            spec.points = net.points();
            spec.width = net.width();
        }
        return toOnnx((Block) net, spec);
    }

    /** Writes the ONNX file (through a temporary file, so a crash leaves no half-written model). */
    public static void export(ModelFile.Loaded model, Path out) throws IOException { write(toOnnx(model), out); }

    /** Writes an int8 model calibrated on {@code calibration} (see {@link #toInt8Onnx}). */
    public static void exportInt8(Path lmk, Path out, String calibrationFolder, int faces) throws IOException {
        TorchSetup.configure(1);
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            ModelFile.Loaded model = load(lmk, m);
            write(toInt8Onnx(model.block(), model.spec(), CalibrationFaces.from(calibrationFolder, faces, model.spec())), out);
        }
    }

    private static void write(byte[] bytes, Path out) throws IOException {
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
            return ModelFile.load(new java.io.ByteArrayInputStream(dev.lightmark.io.BundledResources.read(dev.lightmark.model.DjlNetwork.BUNDLED_LMK)),
                    dev.lightmark.model.DjlNetwork.BUNDLED_LMK, m);
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
}

package dev.lightmark.export;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.model.layers.TorchSetup;
import dev.lightmark.train.CalibrationFaces;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Untrained int8 hourglasses of given sizes, for timing architectures before training them (int8
 * kernels take as long whatever the weights): random weights, calibrated on synthetic faces. Not
 * a test: a tool for BENCHMARKS.md, run from a build; time the files with {@code OrtCompare}.
 *
 * <pre>java -Dai.djl.offline=true -cp "lightmark-train/target/test-classes:lightmark-core/target/test-classes:lightmark-cli/target/lib/*" \
 *   dev.lightmark.export.UntrainedTwins OUT_DIR 128 64 80 96</pre>
 */
public final class UntrainedTwins {
    private UntrainedTwins() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int input = Integer.parseInt(args[1]);
        Files.createDirectories(out);
        TorchSetup.configure(1);
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            for (int i = 2; i < args.length; i++) {
                int channels = Integer.parseInt(args[i]);
                ModelSpec spec = ExportFixtures.hourglassSpec(1, 3, channels, input);
                Block net = ExportFixtures.randomNet(m, spec, 7);
                byte[] onnx = OnnxExporter.toInt8Onnx(net, spec,
                        new CalibrationFaces.Inputs(ExportFixtures.faces(32, input, 1), 32, "32 synthetic faces"));
                Path file = out.resolve("hourglass" + input + "x" + channels + "-untrained-int8.onnx");
                Files.write(file, onnx);
                System.out.println("wrote " + file);
            }
        }
    }
}

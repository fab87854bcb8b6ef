package dev.lightmark.model.hourglass;

import ai.djl.engine.Engine;
import ai.djl.nn.Block;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.model.layers.TorchSetup;
import dev.lightmark.train.ModelFile;
import dev.lightmark.train.TrainingRun;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model file (.lmk) back from a shipped hourglass ONNX export (float or int8) whose .lmk is
 * gone, so it can be exported again by a newer exporter: the training config gives the network's
 * sizes (the ONNX metadata does not hold them), the weights come in as {@code initFrom} reads them
 * (an int8 file's weights as its kernels used them, batch norms folded). Not a test: a tool for
 * BENCHMARKS.md ("A cheaper int8 graph"), run from a build:
 *
 * <pre>java -cp "lightmark-train/target/test-classes:lightmark-cli/target/lib/*" dev.lightmark.model.hourglass.OnnxToLmk MODEL.onnx CONFIG.json OUT.lmk</pre>
 */
public final class OnnxToLmk {
    private OnnxToLmk() {}

    public static void main(String[] args) throws Exception {
        Path onnx = Path.of(args[0]), out = Path.of(args[2]);
        HeatmapConfig cfg = HeatmapConfig.read(Path.of(args[1]));
        cfg.initFrom = onnx.toString();
        TorchSetup.configure(1);
        ModelSpec spec = HeatmapTrainer.spec(cfg, 0);
        try (OrtSession s = OrtEnvironment.getEnvironment().createSession(onnx.toString(), new OrtSession.SessionOptions())) {
            String trainedOn = s.getMetadata().getCustomMetadata().get("lightmark.trainedOn");
            if (trainedOn != null && !trainedOn.isEmpty()) spec.trainedOn = trainedOn;
        }
        Path run = Files.createTempDirectory("onnx-to-lmk");   // initFrom reads nothing when a run folder has a checkpoint
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            Block net = ModelFile.build(spec);
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, spec.inputSize, spec.inputSize));
            TrainingRun.initFrom(cfg, run, spec, net, m, System.out, StackGrowth.fromFirstStack(net));
            ModelFile.save(out, spec, net);
        } finally {
            Files.delete(run);
        }
        System.out.println("wrote " + out + " (" + spec.trainedOn + ")");
    }
}

package dev.lightmark.infer;


import java.io.IOException;
import java.util.Map;

/** An exported .onnx landmark model run by ONNX Runtime (the fast inference path). */
final class OnnxNetwork implements LandmarkNetwork {
    private final OnnxLandmarkRunner runner;
    private final ModelSpec spec;

    private OnnxNetwork(OnnxLandmarkRunner runner, ModelSpec spec) {
        this.runner = runner;
        this.spec = spec;
    }

    static OnnxNetwork fromBytes(byte[] bytes, String name, int threads) throws IOException {
        OnnxLandmarkRunner r = OnnxLandmarkRunner.fromBytes(bytes, name, threads);
        try {
            Map<String, String> meta = r.metadata();
            ModelSpec spec = new ModelSpec();
            spec.inputSize = r.inputSize();
            spec.points = r.outputSize() / 2;
            spec.architecture = meta.getOrDefault("lightmark.architecture", "unknown");
            spec.width = Float.parseFloat(meta.getOrDefault("lightmark.width", "0"));
            spec.cropScale = Float.parseFloat(meta.getOrDefault("lightmark.cropScale", "1.25"));
            spec.trainedOn = meta.getOrDefault("lightmark.trainedOn", "");
            return new OnnxNetwork(r, spec);
        } catch (RuntimeException e) {
            r.close();
            throw new IOException(name + ": bad Lightmark metadata: " + e.getMessage(), e);
        }
    }

    @Override public ModelSpec spec() { return spec; }
    @Override public float[] forward(float[] input, int n) { return runner.forward(input, n); }
    @Override public long parameterCount() { return 0; }
    @Override public String runtime() { return "onnxruntime"; }
    @Override public void close() { runner.close(); }
}

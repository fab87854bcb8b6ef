package dev.lightmark.model.hourglass;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.lightmark.infer.DecoderMetadata;
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.infer.OnnxLandmarkRunner;
import dev.lightmark.train.ModelFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The heatmaps a distillation teacher gives for a batch of crops: a trained hourglass
 * ({@code .lmk}, run on DJL) or exported ones ({@code .onnx}, an ensemble joined by {@code +},
 * run on ONNX Runtime, maps averaged). Every member must cover the student's crop with the
 * student's map grid (input size, crop scale, sigma), since the maps are mixed pixel by pixel.
 */
abstract class HeatmapTeacher implements AutoCloseable {
    /** The teacher's (n, K, S/4, S/4) maps of crops {@code x} (n, 3, S, S), without gradients. */
    abstract float[] maps(NDArray x);

    @Override public void close() {}

    /** The teacher's member files; refuses a missing one (a run calls this before its folder is made). */
    static List<String> members(String files) {
        List<String> members = List.of(files.split(Pattern.quote(LandmarkPredictor.ENSEMBLE_JOIN)));
        for (String f : members)
            if (!Files.isRegularFile(Path.of(f))) throw new IllegalArgumentException("teacher model not found: " + f);
        return members;
    }

    static HeatmapTeacher open(String files, HeatmapConfig cfg, int points, NDManager manager) throws IOException {
        List<String> members = members(files);
        if (members.size() == 1 && !files.toLowerCase(java.util.Locale.ROOT).endsWith(".onnx")) return lmk(Path.of(files), cfg, points, manager);
        List<OnnxLandmarkRunner> runners = new ArrayList<>();
        try {
            for (String f : members) {
                if (!f.toLowerCase(java.util.Locale.ROOT).endsWith(".onnx"))
                    throw new IllegalArgumentException("an ensemble teacher is made of .onnx files, not " + f);
                OnnxLandmarkRunner r = OnnxLandmarkRunner.load(Path.of(f), 1);
                runners.add(r);
                Map<String, String> meta = r.metadata();
                check(f, meta.getOrDefault("lightmark.architecture", "?"), r.outputSize() / 2, r.inputSize(),
                        Float.parseFloat(meta.getOrDefault("lightmark.cropScale", "NaN")),
                        Float.parseFloat(meta.getOrDefault(DecoderMetadata.SIGMA, "NaN")), cfg, points);
            }
        } catch (IOException | RuntimeException e) {
            runners.forEach(OnnxLandmarkRunner::close);
            throw e;
        }
        return new HeatmapTeacher() {
            @Override float[] maps(NDArray x) {
                float[] in = x.toFloatArray(), sum = null;
                int n = (int) x.getShape().get(0);
                for (OnnxLandmarkRunner r : runners) {
                    float[] m = r.firstOutput(in, n);
                    if (sum == null) sum = m;
                    else for (int i = 0; i < m.length; i++) sum[i] += m[i];
                }
                for (int i = 0; i < sum.length; i++) sum[i] /= runners.size();
                return sum;
            }

            @Override public void close() { runners.forEach(OnnxLandmarkRunner::close); }
        };
    }

    private static HeatmapTeacher lmk(Path file, HeatmapConfig cfg, int points, NDManager manager) throws IOException {
        ModelFile.Loaded m;
        try (var in = Files.newInputStream(file)) {
            m = ModelFile.load(in, file.toString(), manager);
        }
        ModelSpec s = m.spec();
        check(file.toString(), s.architecture, s.points, s.inputSize, s.cropScale,
                HourglassArchitecture.NAME.equals(s.architecture) ? HourglassArchitecture.settings(s).sigma : Float.NaN, cfg, points);
        Block net = m.block();
        return new HeatmapTeacher() {
            @Override float[] maps(NDArray x) {
                return net.forward(new ParameterStore(x.getManager(), false), new NDList(x), false).get(0).toFloatArray();
            }
        };
    }

    private static void check(String file, String architecture, int k, int input, float cropScale, float sigma, HeatmapConfig cfg, int points) {
        if (!HourglassArchitecture.NAME.equals(architecture) || k != points || input != cfg.inputSize
                || cropScale != cfg.cropScale || sigma != cfg.sigma)
            throw new IllegalArgumentException(file + ": a heatmap teacher must be a " + points + "-point hourglass with input "
                    + cfg.inputSize + ", crop scale " + cfg.cropScale + " and sigma " + cfg.sigma + "; it is a " + architecture
                    + " with " + k + " points, input " + input + ", crop scale " + cropScale + ", sigma " + sigma);
    }
}

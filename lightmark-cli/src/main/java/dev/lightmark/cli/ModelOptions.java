package dev.lightmark.cli;

import dev.lightmark.infer.LandmarkPredictor;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code --model} and {@code --threads}: which landmark model a command runs and on how many
 * threads. One mixin, so every command names the same model the same way.
 */
final class ModelOptions {
    /** Kept in step with {@code BundledModels}: {@code ModelOptionsTest} fails when a bundled name is missing here. */
    static final String MODEL_HELP = "Landmark model: a .onnx or .lmk file, an ensemble A.onnx+B.onnx (mean of the members), "
            + "or a bundled model by name (default, fast, balanced, accurate, video); default: default";

    @Option(names = "--model", description = MODEL_HELP)
    Path model;

    @Option(names = "--threads", defaultValue = "1", description = "Intra-op threads. Default: ${DEFAULT-VALUE}")
    int threads;

    LandmarkPredictor load() throws IOException { return LandmarkPredictor.load(model, threads); }

    /** The model as reports name it. */
    String displayName() { return LandmarkPredictor.displayName(model); }
}

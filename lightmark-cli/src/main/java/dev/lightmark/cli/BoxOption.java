package dev.lightmark.cli;

import dev.lightmark.eval.ModelEvaluation;
import picocli.CommandLine.Option;

/** {@code --box}: where the face box of a labelled face comes from when a command measures a model. */
final class BoxOption {
    @Option(names = "--box", defaultValue = "gt",
            description = "Face box: gt (tight ground-truth box) or detector (BlazeFace + box mapping). Default: ${DEFAULT-VALUE}")
    String box;

    ModelEvaluation.BoxSource source() {
        return switch (box) {
            case "gt" -> ModelEvaluation.BoxSource.GROUND_TRUTH;
            case "detector" -> ModelEvaluation.BoxSource.DETECTOR;
            default -> throw new IllegalArgumentException("--box must be gt or detector, not '" + box + "'");
        };
    }
}

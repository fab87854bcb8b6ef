package dev.lightmark.cli;

import dev.lightmark.infer.LandmarkPredictor;
import picocli.CommandLine.Option;

/** {@code --[no-]flip}: the test-time flip, or the model's own choice when not given. */
final class FlipOption {
    @Option(names = "--flip", negatable = true,
            description = "Test-time flip: average the points found on the face and on its mirror image; --no-flip for one pass. "
                    + "Default: the model's own (on for model files and for the bundled models where it pays, fast and accurate; `lightmark models` says)")
    Boolean flip;

    /** Sets the flip test on {@code lp} and returns whether it is on. */
    boolean applyTo(LandmarkPredictor lp) {
        boolean on = flip != null ? flip : lp.flipByDefault();
        lp.setFlipTest(on);
        return on;
    }
}

package dev.lightmark.train;

import ai.djl.nn.Block;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.infer.OutputDecoder;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * One network architecture, everything the rest of Lightmark needs from it: the name configs and
 * model files use, its training config type, the network a saved spec describes, its trainer and
 * how its output becomes points. Each lives in its own package under {@code dev.lightmark.model}
 * and is listed once, in {@link Architectures}.
 */
public interface Architecture {
    /** The {@code "architecture"} value of its configs and model specs. */
    String name();

    /** The type its JSON training configs are read as. */
    Class<? extends CommonTrainingConfig> configType();

    /** The network a saved spec describes, weights not yet loaded. */
    Block build(ModelSpec spec);

    /**
     * Trains into {@code runDir} (resuming from its checkpoint when there is one), printing
     * progress to {@code log}; returns the closing summary line.
     */
    String train(CommonTrainingConfig config, Path runDir, PrintStream log) throws Exception;

    /** How the network's first output becomes crop-unit points (coordinates unless it says otherwise). */
    default OutputDecoder decoder(ModelSpec spec) { return OutputDecoder.POINTS; }

    /** The settings section of a spec, with an error naming the architecture when it is missing. */
    static <T> T requireSettings(ModelSpec spec, String name, Class<T> type) {
        T t = spec.settings(name, type);
        if (t == null) throw new IllegalArgumentException(name + " model without its '" + name + "' settings");
        return t;
    }
}

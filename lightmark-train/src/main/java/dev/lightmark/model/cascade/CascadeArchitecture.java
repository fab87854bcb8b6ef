package dev.lightmark.model.cascade;

import ai.djl.nn.Block;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.train.Architecture;
import dev.lightmark.train.CommonTrainingConfig;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/** Selective cascaded regression: patch stages with attention that predict their own error. */
public final class CascadeArchitecture implements Architecture {
    public static final String NAME = "cascade";

    @Override public String name() { return NAME; }

    @Override public Class<? extends CommonTrainingConfig> configType() { return CascadeConfig.class; }

    @Override
    public Block build(ModelSpec spec) {
        return new CascadeNet(Architecture.requireSettings(spec, NAME, CascadeSpec.class), spec.points, spec.inputSize);
    }

    @Override
    public String train(CommonTrainingConfig config, Path runDir, PrintStream log) throws Exception {
        CascadeTrainer.Result r = new CascadeTrainer((CascadeConfig) config, runDir, log).run();
        return String.format(Locale.ROOT, "done: first-epoch loss %.5f, last %.5f, best validation NME %.2f%% (%.0f s per epoch); model: %s",
                r.firstEpochLoss(), r.lastEpochLoss(), 100 * r.bestValNme(), r.secondsPerEpoch(), runDir.resolve("best.lmk"));
    }
}

package dev.lightmark.model.tsal;

import ai.djl.nn.Block;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.train.Architecture;
import dev.lightmark.train.CommonTrainingConfig;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/** TSAL's two-head net (heatmaps; centre + offsets), trained supervised or teacher-student. */
public final class TsalArchitecture implements Architecture {
    public static final String NAME = "tsal";

    @Override public String name() { return NAME; }

    @Override public Class<? extends CommonTrainingConfig> configType() { return TsalConfig.class; }

    @Override public Block build(ModelSpec spec) { return settings(spec).build(spec.points); }

    @Override
    public String train(CommonTrainingConfig config, Path runDir, PrintStream log) throws Exception {
        TsalTrainer.Result r = new TsalTrainer((TsalConfig) config, runDir, log).run();
        return String.format(Locale.ROOT, "done: first-epoch loss %.5f, last %.5f, best validation NME %.2f%% (%.0f s/epoch); "
                        + "pseudo-labelled faces %d, rejected by the ASM %d, points kept %.1f%%; model: %s",
                r.firstEpochLoss(), r.lastEpochLoss(), 100 * r.bestValNme(), r.secondsPerEpoch(), r.pseudoFaces(),
                r.rejectedFaces(), 100 * r.keptPointShare(), runDir.resolve("best.lmk"));
    }

    public static TsalSpec settings(ModelSpec spec) { return Architecture.requireSettings(spec, NAME, TsalSpec.class); }
}

package dev.lightmark.model.pfld;

import ai.djl.nn.Block;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.train.Architecture;
import dev.lightmark.train.CommonTrainingConfig;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/** PFLD: MobileNetV2 trunk, multi-scale head, auxiliary pose net in training; also KD-Loss students. */
public class PfldArchitecture implements Architecture {
    @Override public String name() { return "pfld"; }

    @Override public Class<? extends CommonTrainingConfig> configType() { return TrainConfig.class; }

    @Override public Block build(ModelSpec spec) { return new PfldNet(spec.points, spec.width); }

    /** PFLD, an EfficientNet teacher or a KD-Loss student: the coordinate-regression trainer. */
    @Override
    public String train(CommonTrainingConfig config, Path runDir, PrintStream log) throws Exception {
        RegressionTrainer.Result r = new RegressionTrainer((TrainConfig) config, runDir, log).run();
        return String.format(Locale.ROOT, "done: first-epoch loss %.5f, last %.5f, best validation NME %.2f%%; model: %s",
                r.firstEpochLoss(), r.lastEpochLoss(), 100 * r.bestValNme(), runDir.resolve("best.lmk"));
    }
}

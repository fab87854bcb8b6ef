package dev.lightmark.model.hourglass;

import ai.djl.nn.Block;
import dev.lightmark.heatmap.HeatmapEncoding;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.infer.OutputDecoder;
import dev.lightmark.train.Architecture;
import dev.lightmark.train.CommonTrainingConfig;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/** Light stacked hourglass: heatmaps at 1/4 of the input, decoded by the shared heatmap codec. */
public final class HourglassArchitecture implements Architecture {
    public static final String NAME = "hourglass";

    @Override public String name() { return NAME; }

    @Override public Class<? extends CommonTrainingConfig> configType() { return HeatmapConfig.class; }

    @Override public Block build(ModelSpec spec) { return settings(spec).build(spec.points); }

    @Override
    public OutputDecoder decoder(ModelSpec spec) { return OutputDecoder.heatmaps(settings(spec).sigma, HeatmapEncoding.OFFSET); }

    @Override
    public String train(CommonTrainingConfig config, Path runDir, PrintStream log) throws Exception {
        HeatmapTrainer.Result r = new HeatmapTrainer((HeatmapConfig) config, runDir, log).run();
        return String.format(Locale.ROOT, "done: first-epoch loss %.5f, last %.5f, best validation NME %.2f%%; model: %s",
                r.firstEpochLoss(), r.lastEpochLoss(), 100 * r.bestValNme(), runDir.resolve("best.lmk"));
    }

    public static HourglassSpec settings(ModelSpec spec) { return Architecture.requireSettings(spec, NAME, HourglassSpec.class); }
}

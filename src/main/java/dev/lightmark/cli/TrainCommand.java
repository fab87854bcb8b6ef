package dev.lightmark.cli;

import dev.lightmark.train.CommonTrainingConfig;
import dev.lightmark.train.HeatmapConfig;
import dev.lightmark.train.HeatmapTrainer;
import dev.lightmark.train.RegressionTrainer;
import dev.lightmark.train.TrainConfig;
import dev.lightmark.tsal.TsalConfig;
import dev.lightmark.tsal.TsalTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train PFLD, an EfficientNet teacher or a KD-Loss student, or a stacked hourglass when the config says \"architecture\": \"hourglass\", or the two-head TSAL net (\"architecture\": \"tsal\"). "
                + "Re-running with the same --out resumes from its checkpoint.")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--config", description = "JSON training config (see configs/); defaults are used for missing fields")
    Path config;

    @Option(names = "--out", required = true, description = "Run folder: config, log.csv, checkpoint, best.lmk")
    Path out;

    @Option(names = "--epochs", description = "Override the config's epoch count")
    Integer epochs;

    @Option(names = "--threads", description = "PyTorch intra-op threads (default from config)")
    Integer threads;

    /**
     * The config as the trainer its "architecture" names reads it: hourglass, tsal, or otherwise
     * coordinate regression (PFLD's defaults when there is no file).
     */
    static CommonTrainingConfig readConfig(Path config) {
        if (config == null) return new TrainConfig();
        if (HeatmapConfig.isHeatmapConfig(config)) return HeatmapConfig.read(config);
        if (TsalConfig.isTsalConfig(config)) return TsalConfig.read(config);
        return TrainConfig.read(config);
    }

    @Override
    public Integer call() throws Exception {
        CommonTrainingConfig cfg = readConfig(config);
        if (epochs != null) cfg.epochs = epochs;
        if (threads != null) cfg.threads = threads;
        cfg.validate(config);   // every field, before the run folder or any data is touched
        if (cfg instanceof HeatmapConfig h) return trainHourglass(h);
        if (cfg instanceof TsalConfig t) return trainTsal(t);
        return trainRegression((TrainConfig) cfg);
    }

    /** PFLD, an EfficientNet teacher or a KD-Loss student. */
    private int trainRegression(TrainConfig cfg) throws Exception {
        RegressionTrainer.Result r = new RegressionTrainer(cfg, out, System.out).run();
        System.out.printf(Locale.ROOT, "done: first-epoch loss %.5f, last %.5f, best validation NME %.2f%%; model: %s%n",
                r.firstEpochLoss(), r.lastEpochLoss(), 100 * r.bestValNme(), out.resolve("best.lmk"));
        return 0;
    }

    /** A config with "architecture": "tsal" trains the two-head net, supervised or teacher-student. */
    private int trainTsal(TsalConfig cfg) throws Exception {
        TsalTrainer.Result r = new TsalTrainer(cfg, out, System.out).run();
        System.out.printf(Locale.ROOT, "done: first-epoch loss %.5f, last %.5f, best validation NME %.2f%% (%.0f s/epoch); "
                        + "pseudo-labelled faces %d, rejected by the ASM %d, points kept %.1f%%; model: %s%n",
                r.firstEpochLoss(), r.lastEpochLoss(), 100 * r.bestValNme(), r.secondsPerEpoch(), r.pseudoFaces(),
                r.rejectedFaces(), 100 * r.keptPointShare(), out.resolve("best.lmk"));
        return 0;
    }

    /** A config with "architecture": "hourglass" trains the heatmap model instead of PFLD. */
    private int trainHourglass(HeatmapConfig cfg) throws Exception {
        HeatmapTrainer.Result r = new HeatmapTrainer(cfg, out, System.out).run();
        System.out.printf(Locale.ROOT, "done: first-epoch loss %.5f, last %.5f, best validation NME %.2f%%; model: %s%n",
                r.firstEpochLoss(), r.lastEpochLoss(), 100 * r.bestValNme(), out.resolve("best.lmk"));
        return 0;
    }
}

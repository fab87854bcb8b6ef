package dev.lightmark.cli;

import dev.lightmark.train.RegressionTrainer;
import dev.lightmark.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a PFLD model. Re-running with the same --out resumes from its checkpoint.")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--config", description = "JSON training config (see configs/); defaults are used for missing fields")
    Path config;

    @Option(names = "--out", required = true, description = "Run folder: config, log.csv, checkpoint, best.lmk")
    Path out;

    @Option(names = "--epochs", description = "Override the config's epoch count")
    Integer epochs;

    @Option(names = "--threads", description = "PyTorch intra-op threads (default from config)")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        TrainConfig cfg = config != null ? TrainConfig.read(config) : new TrainConfig();
        if (epochs != null) cfg.epochs = epochs;
        if (threads != null) cfg.threads = threads;
        RegressionTrainer.Result r = new RegressionTrainer(cfg, out, System.out).run();
        System.out.printf(Locale.ROOT, "done: first-epoch loss %.5f, last %.5f, best validation NME %.2f%%; model: %s%n",
                r.firstEpochLoss(), r.lastEpochLoss(), 100 * r.bestValNme(), out.resolve("best.lmk"));
        return 0;
    }
}

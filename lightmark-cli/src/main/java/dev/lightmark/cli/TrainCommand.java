package dev.lightmark.cli;

import dev.lightmark.train.Architecture;
import dev.lightmark.train.Architectures;
import dev.lightmark.train.CommonTrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the architecture the config names (\"architecture\": pfld, efficientnet, hourglass, cascade or tsal; PFLD when absent), e.g. PFLD, an EfficientNet teacher, a KD-Loss student, a stacked hourglass or the two-head TSAL net. "
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

    /** The config as the architecture it names reads it (PFLD's defaults when there is no file). */
    static CommonTrainingConfig readConfig(Path config) { return Architectures.readConfig(config); }

    @Override
    public Integer call() throws Exception {
        CommonTrainingConfig cfg = readConfig(config);
        if (epochs != null) cfg.epochs = epochs;
        if (threads != null) cfg.threads = threads;
        cfg.validate(config);   // every field, before the run folder or any data is touched
        Architecture arch = config == null ? Architectures.get("pfld") : Architectures.ofConfig(config);
        System.out.println(arch.train(cfg, out, System.out));
        return 0;
    }
}

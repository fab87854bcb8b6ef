package dev.lightmark.cli;

import dev.lightmark.model.cascade.CascadeConfig;
import dev.lightmark.model.cascade.CascadeTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "cascade", mixinStandardHelpOptions = true,
        description = "Selective cascaded regression: train a cascade, sweep stage counts and exit thresholds, plot NME against mult-adds.",
        subcommands = {CascadeCommand.Train.class, CascadeSweepCommand.class, CascadePlotCommand.class})
final class CascadeCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(System.out); }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train a cascade (all stages in one loop). Re-running with the same --out resumes from its checkpoint.")
    static final class Train implements Callable<Integer> {
        @Option(names = "--config", description = "JSON config (see configs/cascade-*.json); defaults are used for missing fields")
        Path config;

        @Option(names = "--out", required = true, description = "Run folder: config, log.csv, checkpoint, best.lmk")
        Path out;

        @Option(names = "--epochs", description = "Override the config's epoch count")
        Integer epochs;

        @Option(names = "--stages", description = "Override the config's number of stages")
        Integer stages;

        @Option(names = "--patches", description = "Override which landmarks carry a patch: all, half or inner")
        String patches;

        @Option(names = "--threads", description = "PyTorch intra-op threads (default from config)")
        Integer threads;

        @Override
        public Integer call() throws Exception {
            CascadeConfig cfg = config != null ? CascadeConfig.read(config) : new CascadeConfig();
            cfg.validate(config);
            if (epochs != null) cfg.epochs = epochs;
            if (stages != null) cfg.model.stages = stages;
            if (patches != null) cfg.model.patches = patches;
            if (threads != null) cfg.threads = threads;
            cfg.validate(config);   // with the overrides, before the run folder or any data is touched
            CascadeTrainer.Result r = new CascadeTrainer(cfg, out, System.out).run();
            System.out.printf(Locale.ROOT, "done: first-epoch loss %.5f, last %.5f, best validation NME %.2f%% (%.0f s per epoch); model: %s%n",
                    r.firstEpochLoss(), r.lastEpochLoss(), 100 * r.bestValNme(), r.secondsPerEpoch(), out.resolve("best.lmk"));
            return 0;
        }
    }
}

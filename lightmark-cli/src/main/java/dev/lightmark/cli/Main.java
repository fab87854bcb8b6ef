package dev.lightmark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code lightmark} command. */
@Command(name = "lightmark", mixinStandardHelpOptions = true, version = "lightmark 0.1.0",
        description = "Lightweight facial landmark detection: train, evaluate, detect.",
        subcommands = {DetectCommand.class, VideoCommand.class, JitterCommand.class, EvalCommand.class, TrainCommand.class,
                BenchCommand.class, ExportCommand.class, AsmCommand.class, ServeCommand.class, LoadTestCommand.class,
                CascadeCommand.class, QualityCommand.class, CalibrateCommand.class, PseudoLabelCommand.class, ModelsCommand.class,
                SparkCommand.class, SoupCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(System.out); }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; errors become one clear line on stderr and exit code 1. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("error: " + e.getMessage());
                    if (System.getenv("LIGHTMARK_DEBUG") != null) e.printStackTrace(cmd.getErr());
                    return 1;
                });
    }
}

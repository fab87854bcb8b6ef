package dev.lightmark.spark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.net.URL;

/**
 * {@code lightmark spark ...}: the Spark commands, started by {@code bin/lightmark spark} (embedded
 * Spark, lightmark-spark/target/lib on the class path) or by {@code spark-submit --class
 * dev.lightmark.spark.cli.SparkMain lightmark-spark-job.jar detect ...} on a cluster.
 */
@Command(name = "lightmark spark", mixinStandardHelpOptions = true, version = "lightmark 0.1.0",
        description = "Faces and landmarks for millions of images on Apache Spark.",
        subcommands = {SparkDetectCommand.class})
public final class SparkMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(System.out); }

    public static void main(String[] args) {
        // spark-submit sets spark.master before calling main; then the cluster's logging applies.
        if (System.getProperty("spark.master") == null) quietLogs();
        int rc = commandLine().execute(args);
        // Spark leaves non-daemon threads behind in some failures; the job is over either way.
        System.exit(rc);
    }

    /**
     * Spark logs at INFO by default; the embedded command shows warnings only. Must run before
     * anything touches Spark (its first log call configures log4j).
     */
    private static void quietLogs() {
        if (System.getProperty("log4j2.configurationFile") != null) return;
        URL cfg = SparkMain.class.getResource("/dev/lightmark/spark/log4j2-cli.properties");
        if (cfg != null) System.setProperty("log4j2.configurationFile", cfg.toString());
    }

    public static CommandLine commandLine() {
        return new CommandLine(new SparkMain())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("error: " + e.getMessage());
                    if (System.getenv("LIGHTMARK_DEBUG") != null) e.printStackTrace(cmd.getErr());
                    return 1;
                });
    }
}

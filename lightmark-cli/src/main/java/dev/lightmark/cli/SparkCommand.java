package dev.lightmark.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * Lists {@code spark} in {@code lightmark --help}. The Spark commands live in the lightmark-spark
 * module, whose libraries (Spark, Scala, Hadoop: about 280 MB) are not in this CLI's lib folder;
 * {@code bin/lightmark spark ...} starts them with that module's class path.
 */
@Command(name = "spark", description = "Detect faces and landmarks in millions of images on Apache Spark "
        + "(lightmark-spark module: `bin/lightmark spark detect --input DIR --output OUT`, or spark-submit)")
final class SparkCommand implements Callable<Integer> {
    @Unmatched
    List<String> args;

    @Override
    public Integer call() {
        System.err.println("the spark commands are in the lightmark-spark module and need its class path: run them as "
                + "`bin/lightmark spark " + (args == null || args.isEmpty() ? "detect --help" : String.join(" ", args)) + "`, or on a cluster "
                + "with spark-submit --class dev.lightmark.spark.cli.SparkMain lightmark-spark/target/lightmark-spark-job.jar detect ...");
        return 2;
    }
}

package dev.lightmark.spark.cli;

import dev.lightmark.infer.BundledModels;
import dev.lightmark.infer.FacePipeline;
import dev.lightmark.spark.DetectSettings;
import dev.lightmark.spark.SparkDetect;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "detect", mixinStandardHelpOptions = true,
        description = {"Find faces and 68 landmarks in every .jpg/.jpeg/.png/.bmp under the inputs (folders recursively, "
                + "globs, files; any Hadoop URI) on Spark and append them to --output: Parquet, one row per face, or "
                + "JSONL, detect's record per image. Re-running the same command resumes: images already in the output "
                + "are skipped."})
final class SparkDetectCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, arity = "1..*", split = ",",
            description = "Folders, files or globs (quote a glob to let Spark expand it); several after one --input, comma-separated or repeated")
    List<String> inputs;

    @Option(names = "--output", required = true, description = "Output folder (created; resumed when it holds results)")
    String output;

    @Option(names = "--format", defaultValue = "parquet", description = "parquet or jsonl. Default: ${DEFAULT-VALUE}")
    String format;

    @Option(names = "--master", description = "Spark master; default local[*] (embedded Spark, all cores), or spark-submit's --master when run by it")
    String master;

    @Option(names = "--images-per-partition", defaultValue = "250", description = "Images per Spark task. Default: ${DEFAULT-VALUE}")
    int imagesPerPartition;

    @Option(names = "--chunk-images", defaultValue = "100000",
            description = "Images per write job: the most an interruption loses. Default: ${DEFAULT-VALUE}")
    long chunkImages;

    @Option(names = "--model", description = "Landmark model: a bundled model by name (default, fast) or a .onnx file at this "
            + "path on every executor; default: default")
    String model;

    @Option(names = "--detector", defaultValue = "AUTO",
            description = "FRONT (fast, large faces), BACK (small faces) or AUTO (both, merged). Default: ${DEFAULT-VALUE}")
    FacePipeline.DetectorChoice detector;

    @Option(names = "--threshold", defaultValue = "0.5", description = "Detector score threshold. Default: ${DEFAULT-VALUE}")
    float threshold;

    @Option(names = "--flip", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Test-time flip (on by default; --no-flip for one pass)")
    boolean flip;

    @Option(names = "--threads", defaultValue = "1", description = "Intra-op threads per ONNX Runtime session. Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--max-predicted-nme", defaultValue = "0.10",
            description = "Faces whose predicted NME is above this are marked doubtful. Default: ${DEFAULT-VALUE}")
    double maxPredictedNme;

    @Option(names = "--drop-doubtful", description = "Leave faces above --max-predicted-nme out of the output")
    boolean dropDoubtful;

    @Override
    public Integer call() throws Exception {
        SparkDetect.Format fmt = switch (format.toLowerCase(java.util.Locale.ROOT)) {
            case "parquet" -> SparkDetect.Format.PARQUET;
            case "jsonl", "json" -> SparkDetect.Format.JSONL;
            default -> throw new IllegalArgumentException("--format must be parquet or jsonl, not " + format);
        };
        // A bundled model's name travels as it is; a file as an absolute path, the same on every executor.
        String modelPath = model == null || model.contains("://") || BundledModels.named(Path.of(model)).isPresent()
                ? model : Path.of(model).toAbsolutePath().toString();
        DetectSettings settings = new DetectSettings(modelPath, detector, threshold, flip, threads, maxPredictedNme, dropDoubtful);
        var options = new SparkDetect.Options(inputs, output, fmt, settings, imagesPerPartition, chunkImages);

        SparkConf conf = new SparkConf();
        boolean submitted = conf.contains("spark.master");
        SparkSession.Builder b = SparkSession.builder().appName("lightmark detect").config(conf);
        if (master != null) b.master(master);
        else if (!submitted) b.master("local[*]");
        if (!submitted) b.config("spark.ui.showConsoleProgress", "true");
        String effective = master != null ? master : conf.get("spark.master", "local[*]");
        if (effective.startsWith("local") && !conf.contains("spark.driver.bindAddress")) {
            // Embedded Spark talks to itself only: loopback, not the machine's network address.
            b.config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1");
        }
        SparkSession spark = b.getOrCreate();
        try {
            System.err.println("spark " + spark.version() + ", master " + spark.sparkContext().master()
                    + ", " + spark.sparkContext().defaultParallelism() + " task slots");
            SparkDetect.Summary s = SparkDetect.run(spark, options, System.err);
            System.err.println("done: " + s.describe() + " -> " + output);
        } finally {
            spark.stop();
        }
        return 0;
    }
}

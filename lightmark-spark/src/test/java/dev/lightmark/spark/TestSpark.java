package dev.lightmark.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lightmark.batch.BatchDetect;
import dev.lightmark.batch.ImageFiles;
import dev.lightmark.infer.FacePipeline;
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.progress.ProgressBar;
import dev.lightmark.quality.TrustPolicy;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** One local[2] SparkSession for every Spark test class of the JVM, and shared fixtures. */
final class TestSpark {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path DATA = Path.of("../shared/data");
    static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

    private static SparkSession spark;

    private TestSpark() {}

    static synchronized SparkSession session() {
        if (spark == null) {
            spark = SparkSession.builder()
                    .master("local[2]")
                    .appName("lightmark-spark tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.default.parallelism", "2")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
        }
        return spark;
    }

    /** Copies the first {@code n} images (sorted) of a data folder into {@code to}; skips the test without the data. */
    static List<Path> copyImages(String dataFolder, int n, Path to) throws IOException {
        Path from = DATA.resolve(dataFolder);
        assumeTrue(Files.isDirectory(from), from + " not found; skipping");
        Files.createDirectories(to);
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.filter(p -> ImageFiles.isImageName(p.getFileName().toString())).sorted().limit(n).toList())
                out.add(Files.copy(p, to.resolve(p.getFileName())));
        }
        return out;
    }

    /** What {@code lightmark detect DIR} writes for {@code dir} with its default options (PipelineOptions): one record per image, in order. */
    static List<ObjectNode> detectDir(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        try (LandmarkPredictor lp = LandmarkPredictor.load(null, 1)) {
            lp.setFlipTest(true);
            try (FacePipeline p = FacePipeline.create(FacePipeline.DetectorChoice.AUTO, 0.5f, 1, lp).setTrustPolicy(TrustPolicy.DEFAULT);
                 ProgressBar bar = new ProgressBar("detect", 1, "img", QUIET, false)) {
                List<Path> files = ImageFiles.list(dir, new PrintWriter(new StringWriter()));
                new BatchDetect(p::run, 0, new PrintWriter(new StringWriter())).run(files, lines::add, bar, 0);
            }
        }
        List<ObjectNode> out = new ArrayList<>();
        for (String l : lines) out.add((ObjectNode) JSON.readTree(l));
        return out;
    }

    /** The URI string binaryFile gives a local file: the key of Spark results. */
    static String uri(Path p) { return new org.apache.hadoop.fs.Path(p.toAbsolutePath().toUri()).toString(); }
}

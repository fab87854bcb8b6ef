package dev.lightmark.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lightmark.batch.ResultJson;
import dev.lightmark.image.Images;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * {@code lightmark detect DIR} on Apache Spark: faces and landmarks for every image under the
 * inputs, written as Parquet (one row per face, {@link FaceRows#OUTPUT}) or JSONL (detect's own
 * records, one line per image).
 *
 * <p>How it runs: Spark's {@code binaryFile} source lists the inputs (folders recursively, globs,
 * single files; only {@code .jpg/.jpeg/.png/.bmp}, any case, as detect DIR). Only path and length
 * are selected, so listing reads no image bytes. Images already in the output are removed with a
 * left anti-join on the path, so a re-run resumes. The rest is spread over partitions of about
 * {@code imagesPerPartition} images; each task reads its images' bytes (Hadoop file system, the
 * driver's configuration) and runs the detector and landmark model of its executor JVM
 * ({@link ExecutorPipeline}, loaded once per JVM). Results are appended to the output folder.
 *
 * <p>Resume without duplicates: Spark commits a write job whole or not at all, so an image is in
 * the output once or not yet. The work is cut into chunks of {@code chunkImages} images, each its
 * own write job, so an interruption loses at most the chunk in progress. The uncommitted files of
 * an interrupted run ({@code OUTPUT/_temporary}) are deleted at the start of the next one (they
 * would otherwise be committed along with it). Only one run may write an output folder at a time.
 */
public final class SparkDetect {
    public enum Format {
        /** One row per face ({@link FaceRows#OUTPUT}), Parquet part files. */
        PARQUET,
        /** detect's JSON record per image, one per line, in text part files ({@code part-*.txt}). */
        JSONL
    }

    /**
     * @param inputs             folders, files or globs (any Hadoop file system URI)
     * @param output             output folder; created, or resumed when it holds earlier results
     * @param imagesPerPartition images per Spark task (a task loads nothing, so this only trades
     *                           scheduling overhead against the idle tail at the end of a chunk)
     * @param chunkImages        images per write job: what an interruption can lose at most
     */
    public record Options(List<String> inputs, String output, Format format, DetectSettings settings,
                          int imagesPerPartition, long chunkImages) {
        public Options {
            if (inputs == null || inputs.isEmpty()) throw new IllegalArgumentException("no input");
            if (output == null || output.isBlank()) throw new IllegalArgumentException("no output");
            if (imagesPerPartition < 1) throw new IllegalArgumentException("images per partition must be at least 1");
            if (chunkImages < 1) throw new IllegalArgumentException("chunk size must be at least 1 image");
            inputs = List.copyOf(inputs);
        }

        public static Options of(List<String> inputs, String output) {
            return new Options(inputs, output, Format.PARQUET, DetectSettings.defaults(), 250, 100_000);
        }

        public Options withFormat(Format f) { return new Options(inputs, output, f, settings, imagesPerPartition, chunkImages); }

        public Options withSettings(DetectSettings s) { return new Options(inputs, output, format, s, imagesPerPartition, chunkImages); }

        public Options withImagesPerPartition(int n) { return new Options(inputs, output, format, settings, n, chunkImages); }

        public Options withChunkImages(long n) { return new Options(inputs, output, format, settings, imagesPerPartition, n); }
    }

    /**
     * Counts of one run; {@code skipped} were in the output already. Images, faces and errors are
     * counted by the tasks (Spark accumulators), so a task that Spark had to run again counts twice.
     */
    public record Summary(long listed, long skipped, long images, long faces, long errors, int chunks, double seconds) {
        public double imagesPerSecond() { return seconds > 0 ? images / seconds : 0; }

        public String describe() {
            return String.format(Locale.ROOT, "%d images, %d faces, %d errors%s; %d chunk(s), %.1f s, %.2f images/s",
                    images, faces, errors, skipped > 0 ? " (" + skipped + " of " + listed + " done earlier, skipped)" : "",
                    chunks, seconds, imagesPerSecond());
        }
    }

    private SparkDetect() {}

    public static Summary run(SparkSession spark, Options o, PrintStream log) throws IOException {
        long t0 = System.nanoTime();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        boolean resume = prepareOutput(new Path(o.output()), hadoop, o.format(), log);

        // Paths and lengths only: small rows, so as many partitions as task slots hold them. Both
        // sides of the anti-join are hash-partitioned on the path the same way: one shuffle each.
        int slots = spark.sparkContext().defaultParallelism();
        Dataset<Row> listed = spark.read().format("binaryFile")
                .option("recursiveFileLookup", "true")
                .load(o.inputs().toArray(String[]::new))
                .select(col("path"), col("length"))
                .where(lower(col("path")).rlike("\\.(jpe?g|png|bmp)$"))
                .repartition(slots, col("path"))
                .dropDuplicates(new String[]{"path"})
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long all = listed.count();
            Dataset<Row> todo = listed;
            if (resume) {
                Dataset<Row> done = (o.format() == Format.PARQUET
                        ? spark.read().schema("image STRING").parquet(o.output())
                        : spark.read().schema("image STRING").json(o.output()))
                        .select(col("image")).repartition(slots, col("image"));
                todo = listed.join(done, listed.col("path").equalTo(done.col("image")), "left_anti");
            }
            if (resume) todo = todo.persist(StorageLevel.MEMORY_AND_DISK());
            try {
                long n = resume ? todo.count() : all;
                if (n < all) log.println("resume: " + (all - n) + " of " + all + " images already in " + o.output());
                int chunks = (int) Math.max(1, (n + o.chunkImages() - 1) / o.chunkImages());
                LongAccumulator images = spark.sparkContext().longAccumulator("lightmark images");
                LongAccumulator faces = spark.sparkContext().longAccumulator("lightmark faces");
                LongAccumulator errors = spark.sparkContext().longAccumulator("lightmark errors");
                if (n > 0) {
                    HadoopConf conf = new HadoopConf(new Configuration(hadoop));
                    for (int c = 0; c < chunks; c++) {
                        Dataset<Row> part = chunks == 1 ? todo
                                : todo.where(pmod(xxhash64(col("path")), lit(chunks)).equalTo(c));
                        long size = (n + chunks - 1) / chunks;
                        int partitions = (int) Math.max(Math.min(slots, size), (size + o.imagesPerPartition() - 1) / o.imagesPerPartition());
                        Detect fn = new Detect(o.settings(), conf, o.format(), images, faces, errors);
                        Dataset<Row> in = part.repartition(partitions);
                        spark.sparkContext().setJobDescription("lightmark detect: chunk " + (c + 1) + " of " + chunks);
                        if (o.format() == Format.PARQUET) {
                            in.mapPartitions(fn.rows(), Encoders.row(FaceRows.OUTPUT)).write().mode(SaveMode.Append).parquet(o.output());
                        } else {
                            in.mapPartitions(fn.lines(), Encoders.STRING()).write().mode(SaveMode.Append).text(o.output());
                        }
                        if (chunks > 1) log.println("chunk " + (c + 1) + " of " + chunks + " written: " + images.value() + " images so far");
                    }
                    spark.sparkContext().setJobDescription(null);
                }
                return new Summary(all, all - n, images.value(), faces.value(), errors.value(), n > 0 ? chunks : 0,
                        (System.nanoTime() - t0) / 1e9);
            } finally {
                if (resume) todo.unpersist();
            }
        } finally {
            listed.unpersist();
        }
    }

    /**
     * Checks the output folder and clears what an interrupted run left; true when it holds
     * earlier results to resume from.
     */
    static boolean prepareOutput(Path out, Configuration hadoop, Format format, PrintStream log) throws IOException {
        FileSystem fs = out.getFileSystem(hadoop);
        if (!fs.exists(out)) return false;
        if (!fs.getFileStatus(out).isDirectory()) throw new IOException(out + ": exists and is not a folder");
        Path temp = new Path(out, "_temporary");
        if (fs.exists(temp)) {
            log.println("resume: deleting " + temp + " (files of an interrupted run that were never committed)");
            if (!fs.delete(temp, true)) throw new IOException(temp + ": cannot delete");
        }
        boolean data = false;
        for (FileStatus s : fs.listStatus(out)) {
            String name = s.getPath().getName();
            if (name.startsWith("_") || name.startsWith(".")) continue;
            boolean parquet = name.endsWith(".parquet");
            if (parquet != (format == Format.PARQUET))
                throw new IOException(out + " holds " + (parquet ? "Parquet" : "non-Parquet") + " results (" + name
                        + "); resume it with the same --format or choose another output");
            data = true;
        }
        return data;
    }

    /** The task: each input row (path, length) becomes its image's record, as rows or as a JSON line. */
    private static final class Detect implements Serializable {
        private final DetectSettings settings;
        private final HadoopConf conf;
        private final Format format;
        private final LongAccumulator images, faces, errors;

        Detect(DetectSettings settings, HadoopConf conf, Format format, LongAccumulator images, LongAccumulator faces,
               LongAccumulator errors) {
            this.settings = settings;
            this.conf = conf;
            this.format = format;
            this.images = images;
            this.faces = faces;
            this.errors = errors;
        }

        MapPartitionsFunction<Row, Row> rows() {
            return in -> new Flat<>(in, row -> FaceRows.outputRows(record(row)));
        }

        MapPartitionsFunction<Row, String> lines() {
            return in -> new Flat<>(in, row -> Collections.singletonList(ResultJson.line(record(row))));
        }

        private ObjectNode record(Row row) {
            ObjectNode r = readAndDetect(ExecutorPipeline.get(settings), conf.get(), row.getString(0), row.getLong(1));
            images.add(1);
            if (r.has("error")) errors.add(1);
            else faces.add(r.get("faces").size());
            return r;
        }
    }

    /** Reads one image through Hadoop's file system and detects; a file that cannot be read gives an error record. */
    static ObjectNode readAndDetect(ExecutorPipeline p, Configuration conf, String path, long length) {
        if (length == 0) return ResultJson.error(path, "empty file (0 bytes)");
        if (length > Images.MAX_FILE_BYTES)
            return ResultJson.error(path, "file is " + length + " bytes, over the " + Images.MAX_FILE_BYTES + "-byte limit");
        byte[] bytes = new byte[(int) length];
        try {
            Path file = hadoopPath(path);
            try (FSDataInputStream in = file.getFileSystem(conf).open(file)) {
                in.readFully(bytes);
            }
        } catch (IOException | RuntimeException e) {
            return ResultJson.error(path, "cannot read image: " + e.getMessage());
        }
        return p.detect(path, bytes);
    }

    /**
     * The file of a binaryFile {@code path} value. That value is Hadoop's {@code Path.toString()}
     * (scheme and path, special characters not escaped: {@code file:/a b%20c.jpg} is the file
     * {@code a b%20c.jpg}), which Hadoop's string constructor reads back exactly.
     */
    static Path hadoopPath(String path) { return new Path(path); }

    /** One input row to any number of output values, pulled lazily: a task holds one image at a time. */
    private static final class Flat<T> implements Iterator<T> {
        interface Fn<T> { List<T> apply(Row r); }

        private final Iterator<Row> in;
        private final Fn<T> fn;
        private Iterator<T> current = Collections.emptyIterator();

        Flat(Iterator<Row> in, Fn<T> fn) {
            this.in = in;
            this.fn = fn;
        }

        @Override
        public boolean hasNext() {
            while (!current.hasNext() && in.hasNext()) current = fn.apply(in.next()).iterator();
            return current.hasNext();
        }

        @Override
        public T next() {
            if (!hasNext()) throw new NoSuchElementException();
            return current.next();
        }
    }
}

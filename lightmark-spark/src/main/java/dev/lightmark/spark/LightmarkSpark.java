package dev.lightmark.spark;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.Iterator;


/**
 * Landmarks for images that are already in a table: a {@code Dataset<Row>} with the encoded
 * image (JPEG, PNG, BMP, ...) in a binary column.
 * <pre>{@code
 * Dataset<Row> photos = spark.read().parquet("photos");            // id, content (binary), ...
 * Dataset<Row> marked = LightmarkSpark.withLandmarks(photos, "content", "landmarks");
 * marked.select(col("id"), explode(col("landmarks.faces")).as("f"))
 *       .select(col("id"), col("f.score"), col("f.points")[30].getField("x"));
 * }</pre>
 * The added column is a {@link FaceRows#IMAGE} struct: {@code width}, {@code height}, {@code ms},
 * {@code faces} (array of {@link FaceRows#FACE}: face, score, box, landmarkBox, points, extra)
 * and {@code error} (set, with the rest null, when the bytes are not a readable image). Each
 * executor JVM loads the models once ({@link ExecutorPipeline}).
 */
public final class LightmarkSpark {
    private LightmarkSpark() {}

    /** {@link #withLandmarks(Dataset, String, String, DetectSettings)} with detect's default settings. */
    public static Dataset<Row> withLandmarks(Dataset<Row> images, String binaryColumn, String outputColumn) {
        return withLandmarks(images, binaryColumn, outputColumn, DetectSettings.defaults());
    }

    /** The rows of {@code images}, each with a new column {@code outputColumn} holding its faces and landmarks. */
    public static Dataset<Row> withLandmarks(Dataset<Row> images, String binaryColumn, String outputColumn, DetectSettings settings) {
        StructType in = images.schema();
        int index = in.fieldIndex(binaryColumn);
        if (!(in.fields()[index].dataType() instanceof BinaryType))
            throw new IllegalArgumentException(binaryColumn + " is " + in.fields()[index].dataType().simpleString() + ", not binary");
        if (Arrays.asList(in.fieldNames()).contains(outputColumn))
            throw new IllegalArgumentException("the table already has a column " + outputColumn);
        StructType out = in.add(outputColumn, FaceRows.IMAGE, false);
        MapPartitionsFunction<Row, Row> fn = rows -> {
            ExecutorPipeline p = ExecutorPipeline.get(settings);
            return new Iterator<>() {
                @Override public boolean hasNext() { return rows.hasNext(); }

                @Override public Row next() {
                    Row r = rows.next();
                    Object[] values = new Object[r.size() + 1];
                    for (int i = 0; i < r.size(); i++) values[i] = r.get(i);
                    values[r.size()] = landmarks(p, r.isNullAt(index) ? null : (byte[]) r.get(index));
                    return RowFactory.create(values);
                }
            };
        };
        return images.mapPartitions(fn, Encoders.row(out));
    }

    /**
     * A UDF from image bytes to the {@link FaceRows#IMAGE} struct, for SQL and column
     * expressions: {@code SELECT id, lightmark(content).faces FROM photos} once registered with
     * {@code spark.udf().register("lightmark", LightmarkSpark.udf(settings))}. It is marked
     * non-deterministic so that Spark never runs it twice for one row when several fields of its
     * result are selected.
     */
    public static UserDefinedFunction udf(DetectSettings settings) {
        UDF1<byte[], Row> fn = bytes -> landmarks(ExecutorPipeline.get(settings), bytes);
        return org.apache.spark.sql.functions.udf(fn, FaceRows.IMAGE).asNondeterministic().withName("lightmark");
    }

    /** Registers {@link #udf(DetectSettings)} under {@code name} in the session. */
    public static UserDefinedFunction register(SparkSession spark, String name, DetectSettings settings) {
        return spark.udf().register(name, udf(settings));
    }

    /** Applies the UDF with detect's default settings to a binary column. */
    public static Column landmarks(Column binary) { return udf(DetectSettings.defaults()).apply(binary); }

    private static Row landmarks(ExecutorPipeline p, byte[] bytes) {
        if (bytes == null) return RowFactory.create(null, null, null, null, "no image (null)");
        return FaceRows.imageStruct(p.detect("image", bytes));
    }
}

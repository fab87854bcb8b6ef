package dev.lightmark.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Spark rows from the records {@code lightmark detect} writes. The values are read from the
 * core's JSON record ({@link dev.lightmark.batch.ResultJson}), not recomputed, so a Spark row holds
 * exactly the numbers of the detect output (same rounding). Per-face fields that the record has
 * and this schema has no column for (fields added to detect later) are kept in the face's
 * {@code extra} map as their JSON text, so they are never lost.
 */
public final class FaceRows {
    private FaceRows() {}

    /** x, y, w, h in image pixels. */
    public static final StructType BOX = new StructType()
            .add("x", DataTypes.DoubleType, false).add("y", DataTypes.DoubleType, false)
            .add("w", DataTypes.DoubleType, false).add("h", DataTypes.DoubleType, false);

    public static final StructType POINT = new StructType()
            .add("x", DataTypes.DoubleType, false).add("y", DataTypes.DoubleType, false);

    /** Head pose in degrees. */
    public static final StructType POSE = new StructType()
            .add("yaw", DataTypes.DoubleType, true).add("pitch", DataTypes.DoubleType, true).add("roll", DataTypes.DoubleType, true);

    /** Per-face fields of the detect record with a column here; the rest go to {@code extra}. */
    private static final Set<String> FACE_COLUMNS = Set.of("score", "box", "landmarkBox", "points",
            "predictedNme", "doubtful", "pose", "confidence");

    /**
     * One face: index in its image (most confident first), detector score and box, landmark box,
     * 68 points, and the model's trust in them when it has a quality head (else null):
     * predicted NME, doubtful (predicted NME over the limit), pose, one confidence per point.
     */
    public static final StructType FACE = new StructType()
            .add("face", DataTypes.IntegerType, false)
            .add("score", DataTypes.DoubleType, true)
            .add("box", BOX, true)
            .add("landmarkBox", BOX, true)
            .add("points", DataTypes.createArrayType(POINT, false), true)
            .add("predictedNme", DataTypes.DoubleType, true)
            .add("doubtful", DataTypes.BooleanType, true)
            .add("pose", POSE, true)
            .add("confidence", DataTypes.createArrayType(DataTypes.DoubleType, false), true)
            .add("extra", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, false), true);

    /** The landmark struct of one image (Dataset API): size, pipeline time, faces, or an error. */
    public static final StructType IMAGE = new StructType()
            .add("width", DataTypes.IntegerType, true)
            .add("height", DataTypes.IntegerType, true)
            .add("ms", DataTypes.DoubleType, true)
            .add("faces", new ArrayType(FACE, false), true)
            .add("error", DataTypes.StringType, true);

    /**
     * The job's Parquet table: one row per face; an image without faces has one row with
     * {@code faces = 0} and a null {@code face}; an unreadable image has one row with its
     * {@code error} (and null size and faces).
     */
    public static final StructType OUTPUT = output();

    private static StructType output() {
        StructType t = new StructType()
                .add("image", DataTypes.StringType, false)
                .add("width", DataTypes.IntegerType, true)
                .add("height", DataTypes.IntegerType, true)
                .add("ms", DataTypes.DoubleType, true)
                .add("faces", DataTypes.IntegerType, true);
        for (StructField f : FACE.fields())
            t = t.add(f.name(), f.dataType(), true);
        return t.add("error", DataTypes.StringType, true);
    }

    /** The output rows of one image record (see {@link #OUTPUT}). */
    public static List<Row> outputRows(ObjectNode record) {
        String image = record.get("image").asText();
        if (record.has("error"))
            return List.of(RowFactory.create(withImage(image, null, null, null, null, new Object[FACE.size()],
                    record.get("error").asText())));
        Integer w = record.get("width").asInt(), h = record.get("height").asInt();
        Double ms = record.get("ms").asDouble();
        JsonNode faces = record.get("faces");
        int n = faces.size();
        if (n == 0) return List.of(RowFactory.create(withImage(image, w, h, ms, 0, new Object[FACE.size()], null)));
        List<Row> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(RowFactory.create(withImage(image, w, h, ms, n, faceValues(faces.get(i), i), null)));
        return out;
    }

    /** An {@link #OUTPUT} row's values: the image's columns, then the face's, then the error. */
    private static Object[] withImage(String image, Integer w, Integer h, Double ms, Integer faces, Object[] face, String error) {
        Object[] row = new Object[OUTPUT.size()];
        row[0] = image;
        row[1] = w;
        row[2] = h;
        row[3] = ms;
        row[4] = faces;
        System.arraycopy(face, 0, row, 5, face.length);
        row[row.length - 1] = error;
        return row;
    }

    /** The {@link #IMAGE} struct of one image record. */
    public static Row imageStruct(ObjectNode record) {
        if (record.has("error")) return RowFactory.create(null, null, null, null, record.get("error").asText());
        JsonNode faces = record.get("faces");
        List<Row> rows = new ArrayList<>(faces.size());
        for (int i = 0; i < faces.size(); i++) rows.add(RowFactory.create(faceValues(faces.get(i), i)));
        return RowFactory.create(record.get("width").asInt(), record.get("height").asInt(), record.get("ms").asDouble(),
                seq(rows), null);
    }

    private static Object[] faceValues(JsonNode f, int index) {
        List<Row> pts = new ArrayList<>();
        for (JsonNode p : f.path("points")) pts.add(RowFactory.create(p.get(0).asDouble(), p.get(1).asDouble()));
        Map<String, String> extra = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!FACE_COLUMNS.contains(e.getKey())) extra.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
        }
        JsonNode pose = f.get("pose");
        List<Double> confidence = new ArrayList<>();
        for (JsonNode c : f.path("confidence")) confidence.add(c.asDouble());
        return new Object[]{index, number(f.get("score")), box(f.get("box")), box(f.get("landmarkBox")),
                f.has("points") ? seq(pts) : null,
                number(f.get("predictedNme")),
                f.hasNonNull("doubtful") ? f.get("doubtful").asBoolean() : null,
                pose == null || pose.isNull() ? null
                        : RowFactory.create(number(pose.get("yaw")), number(pose.get("pitch")), number(pose.get("roll"))),
                f.has("confidence") ? seq(confidence) : null,
                extra.isEmpty() ? null : CollectionConverters.asScala(extra)};
    }

    private static Double number(JsonNode n) {
        return n == null || n.isNull() ? null : n.asDouble();
    }

    private static Row box(JsonNode b) {
        if (b == null || b.isNull()) return null;
        return RowFactory.create(b.get("x").asDouble(), b.get("y").asDouble(), b.get("w").asDouble(), b.get("h").asDouble());
    }

    private static <T> scala.collection.immutable.Seq<T> seq(List<T> list) {
        return CollectionConverters.asScala(list).toSeq();
    }
}

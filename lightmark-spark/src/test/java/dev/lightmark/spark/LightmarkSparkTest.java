package dev.lightmark.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

class LightmarkSparkTest {
    @TempDir Path dir;

    private final SparkSession spark = TestSpark.session();

    @Test
    void addsLandmarkColumnsToATableOfImageBytesAndAsASqlFunction() throws Exception {
        List<Path> files = TestSpark.copyImages("300w/test-common", 4, dir.resolve("img"));
        Map<String, ObjectNode> detect = TestSpark.detectDir(dir.resolve("img")).stream()
                .collect(Collectors.toMap(n -> Path.of(n.get("image").asText()).getFileName().toString(), n -> n));
        List<Row> rows = new ArrayList<>();
        for (Path f : files) rows.add(RowFactory.create(f.getFileName().toString(), Files.readAllBytes(f)));
        rows.add(RowFactory.create("broken", new byte[]{1, 2, 3}));
        rows.add(RowFactory.create("missing", null));
        StructType schema = new StructType().add("id", DataTypes.StringType).add("content", DataTypes.BinaryType);
        Dataset<Row> table = spark.createDataFrame(rows, schema).repartition(2);

        Dataset<Row> marked = LightmarkSpark.withLandmarks(table, "content", "landmarks");
        assertEquals(List.of("id", "content", "landmarks"), List.of(marked.columns()));
        Map<String, Row> byId = marked.select(col("id"), col("landmarks")).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getString(0), r -> r.getStruct(1)));
        for (Path f : files) {
            String id = f.getFileName().toString();
            Row lm = byId.get(id);
            ObjectNode d = detect.get(id);
            assertNull(lm.getAs("error"));
            assertEquals(d.get("width").asInt(), lm.<Integer>getAs("width"));
            List<Row> faces = lm.getList(lm.fieldIndex("faces"));
            assertEquals(d.get("faces").size(), faces.size());
            for (int i = 0; i < faces.size(); i++) {
                Row face = faces.get(i);
                assertEquals(i, face.<Integer>getAs("face"));
                assertEquals(d.get("faces").get(i).get("score").asDouble(), face.<Double>getAs("score"));
                List<Row> pts = face.getList(face.fieldIndex("points"));
                assertEquals(68, pts.size());
                assertEquals(d.get("faces").get(i).get("points").get(30).get(0).asDouble(), pts.get(30).getDouble(0));
            }
        }
        assertTrue(byId.get("broken").<String>getAs("error").contains("not a recognised image format"), byId.get("broken").toString());
        assertNotNull(byId.get("missing").getAs("error"));

        // The UDF in SQL: one call per row although two fields of its result are used.
        table.createOrReplaceTempView("photos");
        LightmarkSpark.register(spark, "lightmark", DetectSettings.defaults());
        Map<String, Row> sql = spark.sql("SELECT id, lm.error, size(lm.faces) AS n, lm.faces[0].points[30].x AS nose_x "
                        + "FROM (SELECT id, lightmark(content) AS lm FROM photos)").collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getString(0), r -> r));
        for (Path f : files) {
            String id = f.getFileName().toString();
            ObjectNode d = detect.get(id);
            assertEquals(d.get("faces").size(), sql.get(id).<Integer>getAs("n"));
            assertEquals(d.get("faces").get(0).get("points").get(30).get(0).asDouble(), sql.get(id).<Double>getAs("nose_x"));
        }
        assertNotNull(sql.get("broken").getAs("error"));

        assertThrows(IllegalArgumentException.class, () -> LightmarkSpark.withLandmarks(table, "id", "x"));
        assertThrows(IllegalArgumentException.class, () -> LightmarkSpark.withLandmarks(table, "content", "id"));
        // Every task of every job in this JVM shared one set of models.
        assertEquals(1, ExecutorPipeline.loads());
    }
}

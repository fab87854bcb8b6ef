package dev.lightmark.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lightmark.batch.ResultJson;
import dev.lightmark.geometry.Box;
import dev.lightmark.infer.FaceResult;
import dev.lightmark.landmarks.Landmarks;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class FaceRowsTest {
    // Row building alone needs no session; the encoder check at the end uses the shared one.
    @Test
    void rowsCarryDetectsValuesAndKeepFieldsTheSchemaDoesNotKnowInExtra() {
        float[] xy = new float[136];
        for (int i = 0; i < 68; i++) {
            xy[2 * i] = 10 + i * 0.55f;
            xy[2 * i + 1] = 20 + i * 0.25f;
        }
        Landmarks pts = new Landmarks(xy);
        FaceResult face = new FaceResult(new Box(1.04f, 2f, 30f, 40f), 0.91234f, new Box(0f, 1f, 33.33f, 44f), pts);
        ObjectNode rec = ResultJson.result("file:/x/a.jpg", 64, 48, 12.34, List.of(face, face));
        // A per-face field added to detect's record later: it must not be lost.
        ((ObjectNode) rec.get("faces").get(1)).put("predictedNme", 0.031);
        ((ObjectNode) rec.get("faces").get(1)).putObject("pose").put("yaw", -12.5);

        List<Row> rows = FaceRows.outputRows(rec).stream().map(x -> named(x, FaceRows.OUTPUT)).toList();
        assertEquals(2, rows.size());
        Row r = rows.get(1);
        assertEquals(FaceRows.OUTPUT.size(), r.size());
        assertEquals("file:/x/a.jpg", r.getAs("image"));
        assertEquals(64, r.<Integer>getAs("width"));
        assertEquals(2, r.<Integer>getAs("faces"));
        assertEquals(1, r.<Integer>getAs("face"));
        assertEquals(rec.get("faces").get(1).get("score").asDouble(), r.<Double>getAs("score"));
        assertEquals(1.0, r.<Row>getAs("box").getDouble(0));  // rounded as detect rounds
        assertEquals(33.3, r.<Row>getAs("landmarkBox").getDouble(2));
        assertEquals(rec.get("faces").get(1).get("points").get(67).get(0).asDouble(),
                r.<scala.collection.Seq<Row>>getAs("points").apply(67).getDouble(0));
        Map<String, String> extra = r.getJavaMap(r.fieldIndex("extra"));
        assertEquals(Map.of("predictedNme", "0.031", "pose", "{\"yaw\":-12.5}"), extra);
        assertTrue(rows.get(0).isNullAt(rows.get(0).fieldIndex("extra")));

        Row none = named(FaceRows.outputRows(ResultJson.result("b.jpg", 5, 6, 1, List.of())).get(0), FaceRows.OUTPUT);
        assertEquals(0, none.<Integer>getAs("faces"));
        assertTrue(none.isNullAt(none.fieldIndex("face")) && none.isNullAt(none.fieldIndex("error")));
        Row err = named(FaceRows.outputRows(ResultJson.error("c.jpg", "corrupt")).get(0), FaceRows.OUTPUT);
        assertEquals("corrupt", err.getAs("error"));
        assertTrue(err.isNullAt(err.fieldIndex("width")));

        // Through Spark's row encoder (as the job writes them), the extra map included.
        Row back = TestSpark.session().createDataFrame(FaceRows.outputRows(rec), FaceRows.OUTPUT).collectAsList().stream()
                .filter(x -> x.<Integer>getAs("face") == 1).findFirst().orElseThrow();
        assertEquals(extra, back.getJavaMap(back.fieldIndex("extra")));
        assertEquals(r.<Row>getAs("landmarkBox"), back.<Row>getAs("landmarkBox"));

        Row img = named(FaceRows.imageStruct(rec), FaceRows.IMAGE);
        assertEquals(FaceRows.IMAGE.size(), img.size());
        assertEquals(2, img.getList(img.fieldIndex("faces")).size());
    }

    /** The row with field names (rows built for an encoder carry values only). */
    private static Row named(Row r, StructType schema) {
        Object[] v = new Object[r.size()];
        for (int i = 0; i < v.length; i++) v[i] = r.get(i);
        return new GenericRowWithSchema(v, schema);
    }
}

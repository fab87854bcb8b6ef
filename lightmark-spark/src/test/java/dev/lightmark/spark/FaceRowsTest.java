package dev.lightmark.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lightmark.batch.ResultJson;
import dev.lightmark.geometry.Box;
import dev.lightmark.infer.FaceResult;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.quality.FacePose;
import dev.lightmark.quality.FaceQuality;
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
        float[] conf = new float[68];
        java.util.Arrays.fill(conf, 0.8f);
        conf[3] = 0.25f;
        FaceQuality q = new FaceQuality(0.0312, conf, new FacePose(-12.5f, 3.04f, 0f), false);
        FaceResult face = new FaceResult(new Box(1.04f, 2f, 30f, 40f), 0.91234f, new Box(0f, 1f, 33.33f, 44f), pts, q);
        FaceResult plain = new FaceResult(new Box(1.04f, 2f, 30f, 40f), 0.91234f, new Box(0f, 1f, 33.33f, 44f), pts);
        ObjectNode rec = ResultJson.result("file:/x/a.jpg", 64, 48, 12.34, List.of(plain, face));
        // Per-face fields added to detect's record later: they must not be lost.
        ((ObjectNode) rec.get("faces").get(1)).put("occluded", true);
        ((ObjectNode) rec.get("faces").get(1)).putObject("gaze").put("x", -0.5);

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
        JsonNode want = rec.get("faces").get(1);
        assertEquals(want.get("predictedNme").asDouble(), r.<Double>getAs("predictedNme"));
        assertEquals(false, r.<Boolean>getAs("doubtful"));
        assertEquals(want.get("pose").get("pitch").asDouble(), r.<Row>getAs("pose").getDouble(1));
        assertEquals(0.25, r.<scala.collection.Seq<Double>>getAs("confidence").apply(3));
        Map<String, String> extra = r.getJavaMap(r.fieldIndex("extra"));
        assertEquals(Map.of("occluded", "true", "gaze", "{\"x\":-0.5}"), extra);
        Row first = rows.get(0);
        for (String f : List.of("extra", "predictedNme", "doubtful", "pose", "confidence"))
            assertTrue(first.isNullAt(first.fieldIndex(f)), f + " of a face without quality");

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
        assertEquals(r.<Row>getAs("pose"), back.<Row>getAs("pose"));
        assertEquals(68, back.getList(back.fieldIndex("confidence")).size());
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

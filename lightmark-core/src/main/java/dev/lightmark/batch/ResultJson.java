package dev.lightmark.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lightmark.geometry.Box;
import dev.lightmark.infer.FaceResult;
import dev.lightmark.quality.FaceQuality;

import java.util.List;

/** The JSON record of one image: the same fields in single-image output and in batch JSONL lines. */
public final class ResultJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private ResultJson() {}

    /**
     * Image path, size, pipeline time and per face: score, detector box, landmark box, points, and
     * when known the face's quality: predictedNme, doubtful, pose {yaw, pitch, roll} (degrees) and
     * one confidence per point.
     */
    public static ObjectNode result(String image, int width, int height, double ms, List<FaceResult> faces) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("image", image);
        root.put("width", width);
        root.put("height", height);
        root.put("ms", Math.round(ms * 10) / 10.0);
        ArrayNode arr = root.putArray("faces");
        for (FaceResult f : faces) {
            ObjectNode o = arr.addObject();
            o.put("score", Math.round(f.score() * 1000) / 1000.0);
            o.set("box", box(f.detectorBox()));
            o.set("landmarkBox", box(f.landmarkBox()));
            ArrayNode pts = o.putArray("points");
            for (int i = 0; i < f.landmarks().size(); i++) {
                ArrayNode p = pts.addArray();
                p.add(round(f.landmarks().x(i)));
                p.add(round(f.landmarks().y(i)));
            }
            if (f.quality() != null) quality(o, f.quality());
        }
        return root;
    }

    /** Adds predictedNme, doubtful, pose and per-point confidence to a face's JSON object. */
    public static void quality(ObjectNode face, FaceQuality q) {
        face.put("predictedNme", Math.round(q.predictedNme() * 1e4) / 1e4);
        face.put("doubtful", q.doubtful());
        ObjectNode pose = face.putObject("pose");
        pose.put("yaw", round(q.pose().yaw()));
        pose.put("pitch", round(q.pose().pitch()));
        pose.put("roll", round(q.pose().roll()));
        ArrayNode c = face.putArray("confidence");
        for (int i = 0; i < q.confidence().length; i++) c.add(Math.round(q.confidence(i) * 1000) / 1000.0);
    }

    /** The record of an image that could not be processed. */
    public static ObjectNode error(String image, String message) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("image", image);
        root.put("error", message);
        return root;
    }

    /** One line, no line breaks (JSON escapes any inside strings). */
    public static String line(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    public static String pretty(ObjectNode node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static ObjectNode box(Box b) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("x", round(b.x()));
        o.put("y", round(b.y()));
        o.put("w", round(b.w()));
        o.put("h", round(b.h()));
        return o;
    }

    private static double round(float v) { return Math.round(v * 10) / 10.0; }
}

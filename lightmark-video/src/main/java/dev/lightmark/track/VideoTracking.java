package dev.lightmark.track;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lightmark.eval.Jitter;
import dev.lightmark.geometry.Box;
import dev.lightmark.batch.ResultJson;
import dev.lightmark.infer.Overlay;
import dev.lightmark.quality.FacePose;
import dev.lightmark.quality.FaceQuality;
import dev.lightmark.quality.TrustPolicy;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.progress.ProgressBar;
import dev.lightmark.video.VideoFrame;
import dev.lightmark.video.VideoReader;
import dev.lightmark.video.VideoWriter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a {@link FaceTracker} over a video file: optionally writes the video with the faces drawn
 * and one JSON line per frame, and measures landmark jitter of the raw and the output points.
 */
public final class VideoTracking {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where results go; each may be null. {@code maxFrames} 0 = the whole video. {@code trust}
     * marks (or leaves out of both outputs) faces the model doubts.
     */
    public record Outputs(Path video, Path jsonl, int maxFrames, TrustPolicy trust) {
        public Outputs(Path video, Path jsonl, int maxFrames) { this(video, jsonl, maxFrames, TrustPolicy.DEFAULT); }
    }

    /**
     * What one run did. Jitter is a fraction of the inter-ocular distance (see {@link Jitter}),
     * averaged over the frame pairs in which one track id appears in both frames.
     */
    public record Summary(Path video, int width, int height, double videoFps, int frames, double seconds,
                          long faceFrames, int tracks, long detectorRuns, long lostTracks, long sceneCuts,
                          long jitterPairs, double jitterRaw, double jitterOutput) {
        public double framesPerSecond() { return frames / Math.max(seconds, 1e-9); }

        public String describe() {
            return String.format(Locale.ROOT, "%d frames in %.1f s (%.1f frames/s), %.2f faces/frame, %d track(s), "
                            + "detector on %d frames, %d track(s) lost, %d scene cut(s); jitter raw %.2f %%, output %.2f %% of inter-ocular (%d frame pairs)",
                    frames, seconds, framesPerSecond(), faceFrames / (double) Math.max(1, frames), tracks,
                    detectorRuns, lostTracks, sceneCuts, 100 * jitterRaw, 100 * jitterOutput, jitterPairs);
        }
    }

    private VideoTracking() {}

    public static Summary run(Path input, FaceTracker tracker, Outputs outputs, String progressLabel) throws IOException {
        try (VideoReader reader = VideoReader.open(input)) {
            int total = reader.frameCountEstimate();
            if (outputs.maxFrames() > 0) total = total > 0 ? Math.min(total, outputs.maxFrames()) : outputs.maxFrames();
            VideoWriter writer = null;
            BufferedWriter json = null;
            try {
                if (outputs.video() != null)
                    writer = VideoWriter.open(outputs.video(), reader.width(), reader.height(), reader.fps());
                if (outputs.jsonl() != null) json = Files.newBufferedWriter(outputs.jsonl());
                Jitter.Mean raw = new Jitter.Mean(), shown = new Jitter.Mean();
                Map<Integer, TrackedFace> previous = new HashMap<>();
                long faceFrames = 0;
                int maxId = 0, frames = 0;
                long t0 = System.nanoTime();
                try (ProgressBar bar = new ProgressBar(progressLabel, total, "frames")) {
                    for (VideoFrame f; (outputs.maxFrames() == 0 || frames < outputs.maxFrames()) && (f = reader.read()) != null; frames++) {
                        List<TrackedFace> faces = tracker.next(f.image(), f.timeSeconds());
                        Map<Integer, TrackedFace> now = new HashMap<>();
                        for (TrackedFace face : faces) {
                            TrackedFace before = previous.get(face.id());
                            if (before != null) {
                                raw.add(before.raw(), face.raw());
                                shown.add(before.points(), face.points());
                            }
                            now.put(face.id(), face);
                            maxId = Math.max(maxId, face.id());
                        }
                        previous = now;
                        faceFrames += faces.size();
                        List<TrackedFace> shownFaces = trusted(faces, outputs.trust());
                        if (writer != null) writer.write(Overlay.drawMarks(f.image(), marks(shownFaces)));
                        if (json != null) {
                            json.write(JSON.writeValueAsString(record(f, shownFaces)));
                            json.newLine();
                        }
                        bar.status(faces.size() + " face(s)");
                        bar.step(1);
                    }
                }
                double sec = (System.nanoTime() - t0) / 1e9;
                return new Summary(input, reader.width(), reader.height(), reader.fps(), frames, sec, faceFrames, maxId,
                        tracker.detectorRuns(), tracker.lostTracks(), tracker.sceneCuts(), raw.pairs(), raw.mean(), shown.mean());
            } finally {
                if (json != null) json.close();
                if (writer != null) writer.close();
            }
        }
    }

    /**
     * The faces to output, each quality marked by the policy (doubtful ones dropped when it says so)
     * and its pose taken from the output points, the ones drawn and written.
     */
    static List<TrackedFace> trusted(List<TrackedFace> faces, TrustPolicy policy) {
        List<TrackedFace> out = new ArrayList<>(faces.size());
        for (TrackedFace f : faces) {
            FaceQuality q = policy.mark(f.quality());
            if (!policy.keep(q)) continue;
            if (q != null) q = new FaceQuality(q.predictedNme(), q.confidence(), FacePose.of(f.points()), q.doubtful());
            out.add(new TrackedFace(f.id(), f.box(), f.points(), f.raw(), f.detected(), f.score(), q));
        }
        return out;
    }

    private static List<Overlay.Mark> marks(List<TrackedFace> faces) {
        List<Overlay.Mark> out = new ArrayList<>(faces.size());
        for (TrackedFace f : faces) {
            String label = "#" + f.id() + (f.detected() ? " det" : "");
            FaceQuality q = f.quality();
            out.add(q == null ? new Overlay.Mark(f.box(), label, f.points())
                    : new Overlay.Mark(f.box(), label + (q.doubtful() ? " ?" : ""), f.points(), q.confidence(), q.doubtful()));
        }
        return out;
    }

    /**
     * {"frame", "time", "faces": [{"id", "detected", "score", "box", "points"}]}, each face with
     * predictedNme, doubtful, pose and confidence when its quality is known.
     */
    static ObjectNode record(VideoFrame f, List<TrackedFace> faces) {
        ObjectNode root = JSON.createObjectNode();
        root.put("frame", f.index());
        root.put("time", Math.round(f.timeSeconds() * 1e4) / 1e4);
        ArrayNode arr = root.putArray("faces");
        for (TrackedFace face : faces) {
            ObjectNode o = arr.addObject();
            o.put("id", face.id());
            o.put("detected", face.detected());
            o.put("score", Math.round(face.score() * 1000) / 1000.0);
            Box b = face.box();
            ObjectNode box = o.putObject("box");
            box.put("x", round(b.x()));
            box.put("y", round(b.y()));
            box.put("w", round(b.w()));
            box.put("h", round(b.h()));
            ArrayNode pts = o.putArray("points");
            Landmarks lm = face.points();
            for (int i = 0; i < lm.size(); i++) pts.addArray().add(round(lm.x(i))).add(round(lm.y(i)));
            if (face.quality() != null) ResultJson.quality(o, face.quality());
        }
        return root;
    }

    private static double round(float v) { return Math.round(v * 100) / 100.0; }
}

package dev.lightmark.track;

import dev.lightmark.eval.Jitter;
import dev.lightmark.geometry.Box;
import dev.lightmark.infer.FacePrediction;
import dev.lightmark.infer.FaceResult;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.quality.FaceQuality;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Follows faces through a video. Each tracked face's next crop comes from the tight box of its
 * points in the previous frame, which is the framing the landmark model was trained on (the
 * ground-truth box), so the detector is needed only on the first frame, every
 * {@link TrackerOptions#detectEvery()} frames, on a cut between shots ({@link SceneCuts}), when a
 * track is lost and while nothing is tracked.
 * Detections are matched to tracks by IoU (greedy, best first) so ids stay stable.
 * Not thread-safe: one tracker per video.
 */
public final class FaceTracker {
    private static final float DUPLICATE_IOU = 0.5f;
    private static final float MIN_FACE_PX = 6f;

    private final FaceFinder finder;
    private final PointPredictor predictor;
    private final TrackerOptions options;
    private final SceneCuts cuts;
    private final List<Track> tracks = new ArrayList<>();
    private int nextId = 1;
    private long frames, detectorRuns, lostTracks, sceneCuts;

    private static final class Track {
        final int id;
        final LandmarkSmoother smoother;
        Landmarks raw;
        FaceQuality quality;
        float score;
        int misses;
        boolean lost, detected;

        Track(int id, Landmarks raw, float score, LandmarkSmoother smoother) {
            this.id = id;
            this.raw = raw;
            this.score = score;
            this.smoother = smoother;
            this.detected = true;
        }
    }

    public FaceTracker(FaceFinder finder, PointPredictor predictor, TrackerOptions options) {
        this.finder = finder;
        this.predictor = predictor;
        this.options = options;
        this.cuts = new SceneCuts(options.sceneCut());
    }

    /** Faces in the next frame, shown at {@code seconds} (used by the smoothing), in id order. */
    public List<TrackedFace> next(BufferedImage frame, double seconds) {
        for (Track t : tracks) t.detected = false;
        boolean cut = cuts.isCut(frame);
        boolean detect = tracks.isEmpty() || frames == 0 || cut
                || (options.detectEvery() > 0 && frames % options.detectEvery() == 0);
        if (cut) {
            sceneCuts++;
            for (Track t : tracks) t.lost = true; // their crops now show another shot: only the detector can tell
        } else if (!tracks.isEmpty()) {
            detect |= follow(frame);
        }
        if (detect) detect(frame);
        dropDuplicates();
        frames++;
        List<TrackedFace> out = new ArrayList<>(tracks.size());
        for (Track t : tracks) {
            if (t.detected && t.smoother != null) t.smoother.reset();
            Landmarks shown = t.smoother == null ? t.raw : t.smoother.smooth(t.raw, seconds);
            out.add(new TrackedFace(t.id, t.raw.bounds(), shown, t.raw, t.detected, t.score, t.quality));
        }
        return out;
    }

    /** Moves every track to this frame; true when one was lost (so the detector must run). */
    private boolean follow(BufferedImage frame) {
        List<Box> boxes = tracks.stream().map(t -> t.raw.bounds()).toList();
        List<FacePrediction> pts = predictor.assess(frame, boxes);
        boolean anyLost = false;
        for (int i = 0; i < tracks.size(); i++) {
            Track t = tracks.get(i);
            if (plausible(t.raw, pts.get(i).points())) {
                t.raw = pts.get(i).points();
                t.quality = pts.get(i).quality();
            } else {
                t.lost = true;
                anyLost = true;
                lostTracks++;
            }
        }
        return anyLost;
    }

    /** The new points still describe the same face: no jump, no collapse, no sudden shape change. */
    private boolean plausible(Landmarks before, Landmarks now) {
        for (float v : now.toArray()) if (!Float.isFinite(v)) return false;
        Box a = before.bounds(), b = now.bounds();
        if (b.w() < MIN_FACE_PX || b.h() < MIN_FACE_PX) return false;
        if (a.iou(b) < options.keepIou()) return false;
        try {
            return Jitter.between(before, now) <= options.maxShapeChange();
        } catch (IllegalArgumentException degenerate) {
            return false;
        }
    }

    private void detect(BufferedImage frame) {
        detectorRuns++;
        List<FaceResult> found = finder.find(frame);
        // Greedy matching, best IoU first, between detections and the tracks' last boxes.
        record Pair(int det, int track, float iou) {}
        List<Pair> pairs = new ArrayList<>();
        for (int d = 0; d < found.size(); d++)
            for (int k = 0; k < tracks.size(); k++) {
                float iou = found.get(d).landmarkBox().iou(tracks.get(k).raw.bounds());
                if (iou >= options.matchIou()) pairs.add(new Pair(d, k, iou));
            }
        pairs.sort(Comparator.comparingDouble(Pair::iou).reversed());
        int[] trackOf = new int[found.size()];
        java.util.Arrays.fill(trackOf, -1);
        boolean[] matched = new boolean[tracks.size()];
        for (Pair p : pairs)
            if (trackOf[p.det()] < 0 && !matched[p.track()]) {
                trackOf[p.det()] = p.track();
                matched[p.track()] = true;
            }

        // Tracks re-found after being lost, and new faces, get points from the detection's box.
        List<Track> restart = new ArrayList<>();
        List<Box> restartBoxes = new ArrayList<>();
        List<FaceResult> fresh = new ArrayList<>();
        for (int d = 0; d < found.size(); d++) {
            FaceResult f = found.get(d);
            if (trackOf[d] >= 0) {
                Track t = tracks.get(trackOf[d]);
                t.misses = 0;
                t.score = f.score();
                if (t.lost) {
                    restart.add(t);
                    restartBoxes.add(f.landmarkBox());
                }
            } else {
                fresh.add(f);
                restartBoxes.add(f.landmarkBox());
            }
        }
        List<Track> kept = new ArrayList<>();
        for (int k = 0; k < tracks.size(); k++) {
            Track t = tracks.get(k);
            if (matched[k]) kept.add(t);
            else if (!t.lost && ++t.misses < options.maxMisses()) kept.add(t);
        }
        tracks.clear();
        tracks.addAll(kept);
        if (restartBoxes.isEmpty()) return;
        List<FacePrediction> pts = predictor.assess(frame, restartBoxes);
        for (int i = 0; i < restart.size(); i++) {
            Track t = restart.get(i);
            t.raw = pts.get(i).points();
            t.quality = pts.get(i).quality();
            t.lost = false;
            t.detected = true;
        }
        for (int i = 0; i < fresh.size(); i++) {
            FacePrediction p = pts.get(restart.size() + i);
            Track t = new Track(nextId++, p.points(), fresh.get(i).score(), options.newSmoother());
            t.quality = p.quality();
            tracks.add(t);
        }
    }

    /** Two tracks that converged on one face: the older one stays. */
    private void dropDuplicates() {
        tracks.sort(Comparator.comparingInt(t -> t.id));
        List<Track> kept = new ArrayList<>();
        for (Track t : tracks) {
            boolean dup = false;
            for (Track k : kept) dup |= k.raw.bounds().iou(t.raw.bounds()) > DUPLICATE_IOU;
            if (!dup) kept.add(t);
        }
        tracks.clear();
        tracks.addAll(kept);
    }

    public long frames() { return frames; }
    public long detectorRuns() { return detectorRuns; }
    /** How often a track failed the plausibility check (each triggers a detector run). */
    public long lostTracks() { return lostTracks; }
    /** Cuts between shots seen (each makes the detector run and restart every track). */
    public long sceneCuts() { return sceneCuts; }
}

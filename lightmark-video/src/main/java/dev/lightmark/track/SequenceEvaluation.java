package dev.lightmark.track;

import dev.lightmark.data.FaceSample;
import dev.lightmark.eval.Jitter;
import dev.lightmark.eval.Nme;
import dev.lightmark.eval.Normalizer;
import dev.lightmark.image.Images;
import dev.lightmark.progress.ProgressBar;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tracking accuracy on labelled frame sequences: each sequence is tracked from its first frame
 * (detector) on, and the raw and the smoothed points are scored against the ground truth (NME,
 * inter-ocular), with the jitter of both and of the ground truth itself for reference.
 *
 * <p>Frames are grouped by name, {@code PERSON_VF[x]}: V is the clip, F the frame number in it,
 * an optional letter orders frames that share a number (the ytf68 layout, e.g.
 * {@code Ahmad_Masood_01a}, {@code Ahmad_Masood_01b}, {@code Ahmad_Masood_02a}).
 */
public final class SequenceEvaluation {
    private static final Pattern NAME = Pattern.compile("(.+_\\d)(\\d)([a-z]?)");
    private static final float SAME_FACE_IOU = 0.3f;

    private SequenceEvaluation() {}

    public record Sequence(String name, List<FaceSample> frames) {}

    /**
     * @param frames        labelled frames in all sequences
     * @param found         frames where the tracker had a face on the labelled one
     * @param later         of those, frames after a sequence's first (where smoothing can act)
     * @param nmeRaw        mean NME of the raw points over all found frames (NaN when none)
     * @param nmeSmoothed   the same for the smoothed points
     * @param nmeRawLater   mean NME of the raw points over the later frames only
     * @param nmeSmoothedLater the same for the smoothed points
     * @param pairs         consecutive frame pairs with the face found in both (for jitter)
     */
    public record Result(int sequences, int frames, int found, int later,
                         double nmeRaw, double nmeSmoothed, double nmeRawLater, double nmeSmoothedLater,
                         long pairs, double jitterRaw, double jitterSmoothed, double jitterTruth) {
        public String describe() {
            return String.format(Locale.ROOT, "%d sequences, %d frames, face found in %d; NME raw %.2f %%, smoothed %.2f %% "
                            + "(frames after the first: %d, raw %.2f %%, smoothed %.2f %%); jitter over %d pairs: raw %.2f %%, "
                            + "smoothed %.2f %%, ground truth %.2f %%",
                    sequences, frames, found, 100 * nmeRaw, 100 * nmeSmoothed, later, 100 * nmeRawLater,
                    100 * nmeSmoothedLater, pairs, 100 * jitterRaw, 100 * jitterSmoothed, 100 * jitterTruth);
        }
    }

    /** Groups frames into sequences by name; names outside the pattern are each a one-frame sequence. */
    public static List<Sequence> group(List<FaceSample> samples) {
        record Keyed(String order, FaceSample s) {}
        Map<String, List<Keyed>> byClip = new TreeMap<>();
        for (FaceSample s : samples) {
            Matcher m = NAME.matcher(s.name());
            String clip = m.matches() ? m.group(1) : s.name();
            String order = m.matches() ? m.group(2) + m.group(3) : "";
            byClip.computeIfAbsent(clip, k -> new ArrayList<>()).add(new Keyed(order, s));
        }
        List<Sequence> out = new ArrayList<>();
        for (var e : byClip.entrySet()) {
            List<Keyed> k = new ArrayList<>(e.getValue());
            k.sort(Comparator.comparing(Keyed::order));
            out.add(new Sequence(e.getKey(), k.stream().map(Keyed::s).toList()));
        }
        return out;
    }

    /**
     * @param newTracker a fresh tracker per sequence, with smoothing on
     * @param fps        frame rate assumed for the smoothing's time stamps
     */
    public static Result run(List<Sequence> sequences, Supplier<FaceTracker> newTracker, double fps, ProgressBar bar) {
        int frames = 0, found = 0, later = 0;
        double raw = 0, smooth = 0, rawLater = 0, smoothLater = 0;
        Jitter.Mean jRaw = new Jitter.Mean(), jSmooth = new Jitter.Mean(), jTruth = new Jitter.Mean();
        for (Sequence seq : sequences) {
            FaceTracker tracker = newTracker.get();
            TrackedFace prev = null;
            FaceSample prevSample = null;
            for (int i = 0; i < seq.frames().size(); i++) {
                FaceSample s = seq.frames().get(i);
                BufferedImage img = Images.read(s.image());
                TrackedFace face = best(tracker.next(img, i / fps), s);
                frames++;
                if (face != null) {
                    found++;
                    double r = Nme.of(face.raw(), s.landmarks(), Normalizer.INTER_OCULAR);
                    double m = Nme.of(face.points(), s.landmarks(), Normalizer.INTER_OCULAR);
                    raw += r;
                    smooth += m;
                    if (i > 0) { later++; rawLater += r; smoothLater += m; }
                    if (prev != null && prev.id() == face.id()) {
                        jRaw.add(prev.raw(), face.raw());
                        jSmooth.add(prev.points(), face.points());
                        jTruth.add(prevSample.landmarks(), s.landmarks());
                    }
                }
                prev = face;
                prevSample = s;
                if (bar != null) bar.step(1);
            }
        }
        return new Result(sequences.size(), frames, found, later, raw / found, smooth / found,
                rawLater / later, smoothLater / later, jRaw.pairs(), jRaw.mean(), jSmooth.mean(), jTruth.mean());
    }

    /** The tracked face on the labelled one: largest overlap with the ground truth's box. */
    private static TrackedFace best(List<TrackedFace> faces, FaceSample s) {
        TrackedFace best = null;
        float bestIou = SAME_FACE_IOU;
        for (TrackedFace f : faces) {
            float iou = f.box().iou(s.landmarks().bounds());
            if (iou >= bestIou) { bestIou = iou; best = f; }
        }
        return best;
    }
}

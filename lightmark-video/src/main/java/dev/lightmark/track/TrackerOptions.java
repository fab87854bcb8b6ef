package dev.lightmark.track;

/**
 * How {@link FaceTracker} decides when to run the detector and when a track is lost.
 *
 * @param detectEvery    also run the detector every N frames to find new faces and drop tracks it
 *                       no longer confirms (0: only on the first frame, when a track is lost, and
 *                       while no face is tracked)
 * @param smoothing      One Euro settings for the output points; null turns smoothing off
 * @param keepIou        a tracked face is lost when the box of its new points overlaps its
 *                       previous box by less than this (IoU): the model jumped elsewhere
 * @param maxShapeChange a tracked face is lost when its shape changes more than this between two
 *                       frames (residual after a similarity fit, mean over points, in inter-ocular
 *                       distances): the crop no longer holds a face the model can read
 * @param maxMisses      a track is dropped after this many detector runs in a row that do not
 *                       confirm it (a face the detector misses once, e.g. turning, is kept)
 * @param matchIou       least IoU between a detection's landmark box and a track's box to be the
 *                       same face
 * @param smoothSpace    where the smoothing works: per image coordinate, or pose and shape apart
 * @param poseSmoothing  with {@code FACE} smoothing: One Euro settings of the pose (null: raw pose)
 * @param sceneCut       mean grey-level change (0-255) between frames taken for a cut between
 *                       shots: the detector runs and tracks it does not confirm are dropped at
 *                       once (0: off; see {@link SceneCuts})
 */
public record TrackerOptions(int detectEvery, OneEuroParams smoothing, float keepIou, float maxShapeChange,
                             int maxMisses, float matchIou, float sceneCut,
                             LandmarkSmoother.Space smoothSpace, OneEuroParams poseSmoothing) {
    /** Default One Euro settings, chosen on the three example clips and ytf68 test (see BENCHMARKS.md). */
    public static final OneEuroParams DEFAULT_SMOOTHING = new OneEuroParams(1.0, 10.0, 1.0);
    /** Default pose smoothing in FACE space: lighter (4 Hz still), so the face follows the head. */
    public static final OneEuroParams DEFAULT_POSE_SMOOTHING = new OneEuroParams(4.0, 10.0, 1.0);

    public TrackerOptions {
        if (detectEvery < 0) throw new IllegalArgumentException("detectEvery must be >= 0");
        if (maxMisses < 1) throw new IllegalArgumentException("maxMisses must be >= 1");
    }

    public static TrackerOptions defaults() {
        return new TrackerOptions(30, DEFAULT_SMOOTHING, 0.4f, 0.25f, 2, 0.3f, 15f, LandmarkSmoother.Space.FACE, DEFAULT_POSE_SMOOTHING);
    }

    public TrackerOptions withDetectEvery(int n) {
        return new TrackerOptions(n, smoothing, keepIou, maxShapeChange, maxMisses, matchIou, sceneCut, smoothSpace, poseSmoothing);
    }

    public TrackerOptions withSceneCut(float threshold) {
        return new TrackerOptions(detectEvery, smoothing, keepIou, maxShapeChange, maxMisses, matchIou, threshold, smoothSpace, poseSmoothing);
    }

    public TrackerOptions withSmoothSpace(LandmarkSmoother.Space space, OneEuroParams pose) {
        return new TrackerOptions(detectEvery, smoothing, keepIou, maxShapeChange, maxMisses, matchIou, sceneCut, space, pose);
    }

    /** One smoother per track, as these options say (null when smoothing is off). */
    LandmarkSmoother newSmoother() {
        return smoothing == null ? null : new LandmarkSmoother(smoothing, smoothSpace, poseSmoothing);
    }

    public TrackerOptions withSmoothing(OneEuroParams p) {
        return new TrackerOptions(detectEvery, p, keepIou, maxShapeChange, maxMisses, matchIou, sceneCut, smoothSpace, poseSmoothing);
    }
}

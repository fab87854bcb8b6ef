package dev.lightmark.track;

import dev.lightmark.geometry.Box;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.shape.ProcrustesAlignment;
import dev.lightmark.shape.Similarity;

/**
 * One Euro filters for one face's landmarks, in one of two spaces:
 * <ul>
 *   <li>{@link Space#IMAGE}: every image coordinate filtered on its own. Speeds are measured in face
 *   sizes per second (size = sqrt(w * h) of the points' box), so beta means the same for a face of
 *   60 px and one of 600 px. When the head moves, every point moves fast, so the filter opens up
 *   and lets the points' own jitter through; when it is still, the whole face lags a little.</li>
 *   <li>{@link Space#FACE}: the face's pose (shift, log-scale, rotation: a similarity to the track's
 *   first shape) and its shape in that pose's frame are filtered separately. The shape hardly
 *   moves when the head moves, so it stays smoothed during motion; the pose gets its own
 *   {@code poseParams}, usually lighter, so the face follows the head with less lag.</li>
 * </ul>
 */
public final class LandmarkSmoother {
    public enum Space { IMAGE, FACE }

    private final OneEuroParams params, poseParams;
    private final Space space;
    private OneEuroFilter[] filters, pose;
    private float[] reference;
    private double lastAngle;

    /** Image-space smoothing. */
    public LandmarkSmoother(OneEuroParams params) { this(params, Space.IMAGE, null); }

    /** @param poseParams settings for the pose in {@link Space#FACE} (null: none, the raw pose is kept) */
    public LandmarkSmoother(OneEuroParams params, Space space, OneEuroParams poseParams) {
        this.params = params;
        this.space = space;
        this.poseParams = poseParams;
    }

    public Landmarks smooth(Landmarks raw, double seconds) {
        return space == Space.IMAGE ? smoothImage(raw, seconds) : smoothFace(raw, seconds);
    }

    private Landmarks smoothImage(Landmarks raw, double seconds) {
        float[] xy = raw.toArray();
        if (filters == null || filters.length != xy.length) filters = filters(params, xy.length);
        Box b = raw.bounds();
        double size = Math.max(1e-3, Math.sqrt(b.w() * b.h()));
        float[] out = new float[xy.length];
        for (int i = 0; i < xy.length; i++) out[i] = (float) filters[i].filter(xy[i], seconds, size);
        return new Landmarks(out);
    }

    private Landmarks smoothFace(Landmarks raw, double seconds) {
        float[] xy = raw.toArray();
        if (reference == null || reference.length != xy.length) {
            reference = ProcrustesAlignment.normalise(xy); // unit RMS radius, centroid 0
            filters = filters(params, xy.length);
            pose = poseParams == null ? null : filters(poseParams, 4);
            lastAngle = 0;
        }
        Similarity s = ProcrustesAlignment.alignTo(raw, reference); // image -> reference frame
        Landmarks local = raw.transform(s.transform());
        float[] shape = local.toArray();
        for (int i = 0; i < shape.length; i++) shape[i] = (float) filters[i].filter(shape[i], seconds, 1);
        // Pose of the face in the image: reference -> image.
        Similarity toImage = new Similarity(s.inverse(), s.transform());
        double scale = toImage.scale(), angle = toImage.rotation();
        angle = lastAngle + Math.IEEEremainder(angle - lastAngle, 2 * Math.PI); // no jump at +-pi
        lastAngle = angle;
        double tx = toImage.transform().c(), ty = toImage.transform().f();
        if (pose != null) {
            tx = pose[0].filter(tx, seconds, scale);
            ty = pose[1].filter(ty, seconds, scale);
            scale = Math.exp(pose[2].filter(Math.log(scale), seconds, 1));
            angle = pose[3].filter(angle, seconds, 1);
        }
        return new Landmarks(shape).transform(Similarity.of(scale, angle, tx, ty).transform());
    }

    private static OneEuroFilter[] filters(OneEuroParams p, int n) {
        OneEuroFilter[] f = new OneEuroFilter[n];
        for (int i = 0; i < n; i++) f[i] = new OneEuroFilter(p);
        return f;
    }

    /** Starts afresh, e.g. after the track was re-acquired by the detector somewhere else. */
    public void reset() {
        filters = null;
        pose = null;
        reference = null;
    }
}

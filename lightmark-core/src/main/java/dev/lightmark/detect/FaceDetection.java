package dev.lightmark.detect;

import dev.lightmark.geometry.Box;

import java.util.Arrays;
import java.util.Locale;

/**
 * One face found by {@link BlazeFaceDetector}: its box and six key points in pixels of the image
 * given to {@code detect}, and a confidence score in [0, 1].
 *
 * <p>The box is BlazeFace's own face box (roughly brows to chin, cheek to cheek); it is <em>not</em>
 * the tight box of the 68 landmarks: use {@link LandmarkBoxMapper} for that. It is not clipped to
 * the image, so faces cut by the border may reach past it.
 *
 * <p>Key points are stored {@code x0,y0,x1,y1,...} in MediaPipe's order. MediaPipe names them from
 * the <em>subject's</em> point of view: for an upright, non-mirrored photo the subject's right eye
 * ({@link #RIGHT_EYE}) is on the left of the image (smaller x), checked on 300-W.
 */
public record FaceDetection(Box box, float score, float[] keypoints) {
    /** Subject's right eye: the image-left eye of an upright, non-mirrored face. */
    public static final int RIGHT_EYE = 0;
    /** Subject's left eye: the image-right eye of an upright, non-mirrored face. */
    public static final int LEFT_EYE = 1;
    public static final int NOSE_TIP = 2;
    public static final int MOUTH_CENTER = 3;
    /** Subject's right ear tragion (image left for an upright, non-mirrored face). */
    public static final int RIGHT_EAR = 4;
    /** Subject's left ear tragion (image right for an upright, non-mirrored face). */
    public static final int LEFT_EAR = 5;
    public static final int KEYPOINT_COUNT = 6;

    public FaceDetection {
        if (box == null) throw new IllegalArgumentException("box is null");
        if (keypoints == null || keypoints.length != 2 * KEYPOINT_COUNT)
            throw new IllegalArgumentException("keypoints must hold " + 2 * KEYPOINT_COUNT + " values");
        keypoints = keypoints.clone();
    }

    /** A copy of the key points, {@code x0,y0,...,x5,y5}. */
    @Override public float[] keypoints() { return keypoints.clone(); }

    public float keypointX(int i) { return keypoints[2 * i]; }
    public float keypointY(int i) { return keypoints[2 * i + 1]; }

    @Override public boolean equals(Object o) {
        return o instanceof FaceDetection d && box.equals(d.box)
                && Float.compare(score, d.score) == 0 && Arrays.equals(keypoints, d.keypoints);
    }

    @Override public int hashCode() {
        return 31 * (31 * box.hashCode() + Float.hashCode(score)) + Arrays.hashCode(keypoints);
    }

    @Override public String toString() {
        return String.format(Locale.ROOT, "FaceDetection[box=(%.1f, %.1f, %.1f x %.1f), score=%.3f]",
                box.x(), box.y(), box.w(), box.h(), score);
    }
}

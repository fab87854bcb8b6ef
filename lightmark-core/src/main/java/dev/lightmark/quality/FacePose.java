package dev.lightmark.quality;

import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.pose.HeadPose;

/**
 * Head pose in degrees, fitted from 68 points ({@link HeadPose}: a rough mean 3-D face under weak
 * perspective). Signs, as seen in the image: positive yaw = the nose points toward the image's
 * right; positive pitch = the head bows (nose down); positive roll = the head tilts
 * counter-clockwise. Angles from points the model misplaced are as wrong as the points; past about
 * 60 degrees of yaw the fit saturates.
 */
public record FacePose(float yaw, float pitch, float roll) {
    public static final FacePose FRONTAL = new FacePose(0, 0, 0);

    /** The pose of 68 points, or {@link #FRONTAL} when they are not 68 or too degenerate to fit. */
    public static FacePose of(Landmarks lm) {
        if (lm == null || lm.size() != 68) return FRONTAL;
        float[] r;
        try {
            r = HeadPose.estimate(lm);
        } catch (RuntimeException e) {
            return FRONTAL;
        }
        float yaw = (float) Math.toDegrees(r[0]), pitch = (float) Math.toDegrees(r[1]), roll = (float) Math.toDegrees(r[2]);
        if (!Float.isFinite(yaw) || !Float.isFinite(pitch) || !Float.isFinite(roll)) return FRONTAL;
        return new FacePose(yaw, pitch, roll);
    }

    /** Absolute difference of two angles in degrees, wrapped to [0, 180]. */
    public static double angleError(double a, double b) {
        double d = Math.abs(a - b) % 360;
        return d > 180 ? 360 - d : d;
    }
}

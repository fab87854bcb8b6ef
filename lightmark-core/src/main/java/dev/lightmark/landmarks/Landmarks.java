package dev.lightmark.landmarks;

import dev.lightmark.geometry.Affine;
import dev.lightmark.geometry.Box;

import java.util.Arrays;

/** An immutable set of 2-D points, stored as x0,y0,x1,y1,... in pixels of some image. */
public final class Landmarks {
    private final float[] xy;

    public Landmarks(float[] xy) {
        if (xy.length % 2 != 0) throw new IllegalArgumentException("odd coordinate count " + xy.length);
        this.xy = xy.clone();
    }

    public int size() { return xy.length / 2; }
    public float x(int i) { return xy[2 * i]; }
    public float y(int i) { return xy[2 * i + 1]; }
    public float[] toArray() { return xy.clone(); }

    /** Tight axis-aligned box around all points. */
    public Box bounds() {
        float x0 = Float.MAX_VALUE, y0 = Float.MAX_VALUE, x1 = -Float.MAX_VALUE, y1 = -Float.MAX_VALUE;
        for (int i = 0; i < size(); i++) {
            x0 = Math.min(x0, x(i)); x1 = Math.max(x1, x(i));
            y0 = Math.min(y0, y(i)); y1 = Math.max(y1, y(i));
        }
        return new Box(x0, y0, x1 - x0, y1 - y0);
    }

    public Landmarks transform(Affine a) {
        float[] out = new float[xy.length];
        for (int i = 0; i < size(); i++) {
            out[2 * i] = a.mapX(x(i), y(i));
            out[2 * i + 1] = a.mapY(x(i), y(i));
        }
        return new Landmarks(out);
    }

    /** Re-indexes points for a horizontally flipped image (coordinates must already be flipped). */
    public Landmarks mirrorOrder(LandmarkScheme scheme) {
        float[] out = new float[xy.length];
        for (int i = 0; i < size(); i++) {
            int j = scheme.mirrorOf(i);
            out[2 * j] = x(i);
            out[2 * j + 1] = y(i);
        }
        return new Landmarks(out);
    }

    /**
     * The points of the same face in the image mirrored left-right ({@code width} pixels wide): x
     * goes to {@code width - x} and each point takes its mirror partner's place. Its own inverse.
     */
    public Landmarks mirrored(float width, LandmarkScheme scheme) {
        float[] out = toArray();
        for (int i = 0; i < out.length; i += 2) out[i] = width - out[i];
        return new Landmarks(out).mirrorOrder(scheme);
    }

    /** Distance between outer eye corners (the 300-W inter-ocular normaliser). */
    public float interOcular(LandmarkScheme s) {
        return (float) Math.hypot(x(s.outerEyeA()) - x(s.outerEyeB()), y(s.outerEyeA()) - y(s.outerEyeB()));
    }

    /** Distance between the centroids of the two pupil point sets. */
    public float interPupil(LandmarkScheme s) {
        float[] a = centroid(s.pupilA()), b = centroid(s.pupilB());
        return (float) Math.hypot(a[0] - b[0], a[1] - b[1]);
    }

    public float[] centroid(int[] idx) {
        float cx = 0, cy = 0;
        for (int i : idx) { cx += x(i); cy += y(i); }
        return new float[]{cx / idx.length, cy / idx.length};
    }

    @Override public boolean equals(Object o) {
        return o instanceof Landmarks l && Arrays.equals(xy, l.xy);
    }
    @Override public int hashCode() { return Arrays.hashCode(xy); }
    @Override public String toString() { return "Landmarks[" + size() + " points]"; }
}

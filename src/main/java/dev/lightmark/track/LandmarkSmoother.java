package dev.lightmark.track;

import dev.lightmark.geometry.Box;
import dev.lightmark.landmarks.Landmarks;

/**
 * One Euro filters for every coordinate of one face's landmarks. Speeds are measured in face
 * sizes per second (the size is sqrt(w * h) of the points' box), so beta means the same for a
 * face of 60 px and one of 600 px.
 */
public final class LandmarkSmoother {
    private final OneEuroParams params;
    private OneEuroFilter[] filters;

    public LandmarkSmoother(OneEuroParams params) { this.params = params; }

    public Landmarks smooth(Landmarks raw, double seconds) {
        float[] xy = raw.toArray();
        if (filters == null || filters.length != xy.length) {
            filters = new OneEuroFilter[xy.length];
            for (int i = 0; i < xy.length; i++) filters[i] = new OneEuroFilter(params);
        }
        Box b = raw.bounds();
        double size = Math.max(1e-3, Math.sqrt(b.w() * b.h()));
        float[] out = new float[xy.length];
        for (int i = 0; i < xy.length; i++) out[i] = (float) filters[i].filter(xy[i], seconds, size);
        return new Landmarks(out);
    }

    /** Starts afresh, e.g. after the track was re-acquired by the detector somewhere else. */
    public void reset() { filters = null; }
}

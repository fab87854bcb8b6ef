package dev.lightmark.track;

import dev.lightmark.geometry.Box;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.quality.FaceQuality;

/**
 * One face in one frame.
 *
 * @param id       stable across frames while the face is tracked (1, 2, ... in order of appearance)
 * @param box      tight box of the raw points (the box the next frame's crop is made from)
 * @param points   the output points: smoothed when smoothing is on, else the raw ones
 * @param raw      the model's points for this frame, before smoothing
 * @param detected true when the detector started or re-started this track in this frame
 * @param score    score of the detection that last (re)started the track
 * @param quality  the model's estimate of how far to trust the raw points (null when not known)
 */
public record TrackedFace(int id, Box box, Landmarks points, Landmarks raw, boolean detected, float score, FaceQuality quality) {
    public TrackedFace(int id, Box box, Landmarks points, Landmarks raw, boolean detected, float score) {
        this(id, box, points, raw, detected, score, null);
    }
}

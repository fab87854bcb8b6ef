package dev.lightmark.data;

import dev.lightmark.geometry.Box;
import dev.lightmark.landmarks.Landmarks;

import java.nio.file.Path;

/**
 * One annotated face: the image it is in, its landmarks in that image's pixels, an optional
 * face box (null: use the landmarks' tight box) and optional binary attributes
 * (WFLW: pose, expression, illumination, make-up, occlusion, blur; null when unknown).
 */
public record FaceSample(Path image, Landmarks landmarks, Box box, int[] attributes) {
    public FaceSample(Path image, Landmarks landmarks) { this(image, landmarks, null, null); }

    /** The face box: the given one, or the tight box of the landmarks. */
    public Box faceBox() { return box != null ? box : landmarks.bounds(); }

    public String name() {
        String n = image.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}

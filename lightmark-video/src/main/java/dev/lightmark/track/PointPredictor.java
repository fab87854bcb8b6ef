package dev.lightmark.track;

import dev.lightmark.geometry.Box;
import dev.lightmark.image.Warp;
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.landmarks.Landmarks;

import java.awt.image.BufferedImage;
import java.util.List;

/** Places landmarks in landmark boxes of one frame, one result per box in order. */
@FunctionalInterface
public interface PointPredictor {
    List<Landmarks> predict(BufferedImage frame, List<Box> boxes);

    /** The landmark model, all boxes of a frame in one batch. */
    static PointPredictor of(LandmarkPredictor lp) {
        return (img, boxes) -> lp.predict(Warp.pixels(img), img.getWidth(), img.getHeight(), boxes);
    }
}

package dev.lightmark.track;

import dev.lightmark.geometry.Box;
import dev.lightmark.image.Warp;
import dev.lightmark.infer.FacePrediction;
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.landmarks.Landmarks;

import java.awt.image.BufferedImage;
import java.util.List;

/** Places landmarks in landmark boxes of one frame, one result per box in order. */
@FunctionalInterface
public interface PointPredictor {
    List<Landmarks> predict(BufferedImage frame, List<Box> boxes);

    /** Points with their quality; by default the points alone (quality null). */
    default List<FacePrediction> assess(BufferedImage frame, List<Box> boxes) {
        return predict(frame, boxes).stream().map(p -> new FacePrediction(p, null, null)).toList();
    }

    /** The landmark model, all boxes of a frame in one batch, with each face's quality. */
    static PointPredictor of(LandmarkPredictor lp) {
        return new PointPredictor() {
            @Override
            public List<Landmarks> predict(BufferedImage img, List<Box> boxes) {
                return lp.predict(Warp.pixels(img), img.getWidth(), img.getHeight(), boxes);
            }

            @Override
            public List<FacePrediction> assess(BufferedImage img, List<Box> boxes) {
                return lp.assess(Warp.pixels(img), img.getWidth(), img.getHeight(), boxes, lp.flipTest());
            }
        };
    }
}

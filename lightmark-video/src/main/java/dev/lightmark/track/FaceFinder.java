package dev.lightmark.track;

import dev.lightmark.infer.FaceResult;

import java.awt.image.BufferedImage;
import java.util.List;

/** Finds faces in a frame, each with the landmark box to crop (e.g. {@code FacePipeline::detectFaces}). */
@FunctionalInterface
public interface FaceFinder {
    List<FaceResult> find(BufferedImage frame);
}

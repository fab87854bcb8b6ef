package dev.lightmark.infer;

import dev.lightmark.detect.BlazeFaceDetector;
import dev.lightmark.detect.FaceDetection;
import dev.lightmark.detect.LandmarkBoxMapper;
import dev.lightmark.geometry.Box;
import dev.lightmark.image.Warp;
import dev.lightmark.landmarks.Landmarks;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/** Photo in, faces with 68 landmarks out: BlazeFace, box mapping, then the landmark model. */
public final class FacePipeline implements AutoCloseable {
    private final BlazeFaceDetector detector;
    private final LandmarkBoxMapper mapper;
    private final LandmarkPredictor landmarks;

    public FacePipeline(BlazeFaceDetector detector, LandmarkBoxMapper mapper, LandmarkPredictor landmarks) {
        this.detector = detector;
        this.mapper = mapper;
        this.landmarks = landmarks;
    }

    public List<FaceResult> run(BufferedImage img) {
        List<FaceDetection> dets = detector.detect(img);
        if (dets.isEmpty()) return List.of();
        List<Box> boxes = new ArrayList<>();
        for (FaceDetection d : dets) boxes.add(mapper.toLandmarkBox(d));
        List<Landmarks> pts = landmarks.predict(Warp.pixels(img), img.getWidth(), img.getHeight(), boxes);
        List<FaceResult> out = new ArrayList<>();
        for (int i = 0; i < dets.size(); i++)
            out.add(new FaceResult(dets.get(i).box(), dets.get(i).score(), boxes.get(i), pts.get(i)));
        return out;
    }

    public BlazeFaceDetector detector() { return detector; }
    public LandmarkBoxMapper mapper() { return mapper; }
    public LandmarkPredictor landmarks() { return landmarks; }

    @Override
    public void close() {
        detector.close();
        landmarks.close();
    }
}

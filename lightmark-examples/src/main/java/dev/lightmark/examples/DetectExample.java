package dev.lightmark.examples;

import dev.lightmark.Face;
import dev.lightmark.Lightmark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The README's example: faces and landmarks of a photo with lightmark-core alone. */
public final class DetectExample {
    public static void main(String[] args) throws IOException {
        try (Lightmark lm = Lightmark.open()) {
            List<Face> faces = lm.detect(Path.of(args[0]));
            for (Face f : faces) {
                float[] nose = f.point(30);
                System.out.printf("face at %s, score %.2f, nose tip (%.1f, %.1f), predicted NME %.3f, yaw %.0f°%n",
                        f.box(), f.score(), nose[0], nose[1], f.predictedNme(), f.pose().yaw());
            }
        }
    }
}

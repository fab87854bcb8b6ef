package dev.lightmark.examples;

import dev.lightmark.Face;
import dev.lightmark.Lightmark;
import dev.lightmark.geometry.Box;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs the README example on this module's classpath: lightmark-core and nothing heavier. */
class DetectExampleTest {
    private static final Path PHOTO = Path.of("../shared/data/300w/test-common/helen_2968784797_1.jpg");

    @Test
    void coreAloneHasNoTrainingVideoOrServerLibraries() {
        for (String heavy : List.of("ai.djl.engine.Engine", "org.bytedeco.javacv.FFmpegFrameGrabber", "io.javalin.Javalin",
                "org.eclipse.jetty.server.Server", "picocli.CommandLine"))
            assertThrows(ClassNotFoundException.class, () -> Class.forName(heavy), heavy + " is on the classpath of a core-only user");
    }

    @Test
    void exampleFindsTheFaceAndItsLandmarks() throws Exception {
        assumeTrue(Files.isRegularFile(PHOTO), "photo " + PHOTO + " not found (../shared/data absent); skipping");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            DetectExample.main(new String[]{PHOTO.toString()});
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("face at Box["), out);
        assertTrue(out.contains("nose tip ("), out);
        assertTrue(out.contains("predicted NME 0.0"), "a clear frontal face should be predicted under 10 % NME: " + out);
    }

    @Test
    void apiGivesSixtyEightPointsInsideTheFaceAndNothingOnABlankImage() throws Exception {
        try (Lightmark lm = Lightmark.builder().threads(1).open()) {
            assertEquals(List.of(), lm.detect(new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB)));
            BufferedImage crop = new BufferedImage(112, 112, BufferedImage.TYPE_INT_RGB);
            List<Face> batch = lm.landmarks(Collections.nCopies(40, crop));   // two network batches
            assertEquals(40, batch.size());
            for (Face f : batch) {
                assertEquals(68, f.points().size());
                assertTrue(f.predictedNme() >= 0 && f.predictedNme() <= 1);
            }
            List<Face> boxed = lm.landmarks(crop, List.of(new Box(10, 10, 90, 90)));
            assertEquals(1, boxed.size());
            assumeTrue(Files.isRegularFile(PHOTO), "photo not found; skipping the real-face check");
            List<Face> faces = lm.detect(PHOTO);
            assertEquals(1, faces.size());
            Face f = faces.get(0);
            assertTrue(f.score() > 0.5f);
            assertTrue(f.predictedNme() < 0.10, "predicted NME " + f.predictedNme());
            assertTrue(Math.abs(f.pose().yaw()) < 60, "yaw " + f.pose().yaw());
            for (int i = 0; i < 68; i++) assertTrue(f.confidence(i) >= 0 && f.confidence(i) <= 1);
            for (int i = 0; i < 68; i++) {
                float[] p = f.point(i);
                Box b = f.box();
                assertTrue(p[0] > b.x() - 0.3f * b.w() && p[0] < b.x() + 1.3f * b.w(), "point " + i + " x outside the face");
                assertTrue(p[1] > b.y() - 0.3f * b.h() && p[1] < b.y() + 1.3f * b.h(), "point " + i + " y outside the face");
            }
        }
    }
}

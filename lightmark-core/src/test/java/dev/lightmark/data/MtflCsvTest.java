package dev.lightmark.data;

import dev.lightmark.landmarks.LandmarkScheme;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MtflCsvTest {
    static final String HEADER = "image,left_eye_x,right_eye_x,nose_x,mouth_left_x,mouth_right_x,"
            + "left_eye_y,right_eye_y,nose_y,mouth_left_y,mouth_right_y\n";

    static void png(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", p.toFile());
    }

    @Test
    void loadsGoodLinesAndReportsBadOnesWithLineNumbers(@TempDir Path dir) throws IOException {
        png(dir.resolve("images/a.png"));
        png(dir.resolve("images/b.png"));
        Path csv = dir.resolve("train.csv");
        Files.writeString(csv, HEADER
                + "images/a.png,34.32,47.28,40.40,34.00,45.04,34.80,36.24,46.00,50.80,52.08\n"   // line 2
                + "images/b.png,1,2,3,4,5,6,7,8,9\n"                                             // 3: 10 columns
                + "images/b.png,1,2,3,4,5,6,7,x8,9,10\n"                                         // 4: non-numeric
                + "\n"                                                                           // 5: blank, ignored
                + "images/missing.png,1,2,3,4,5,6,7,8,9,10\n"                                    // 6: no image
                + "images/b.png,1,2,3,4,5,6,7,8,9,10\n");                                        // 7
        PtsFolder.Loaded l = MtflCsv.load(csv);
        assertEquals(2, l.samples().size());
        assertEquals(3, l.problems().size(), l.problems().toString());
        assertTrue(l.problems().get(0).contains("train.csv") && l.problems().get(0).contains("line 3"), l.problems().get(0));
        assertTrue(l.problems().get(0).contains("10 columns"), l.problems().get(0));
        assertTrue(l.problems().get(1).contains("line 4") && l.problems().get(1).contains("x8"), l.problems().get(1));
        assertTrue(l.problems().get(2).contains("line 6") && l.problems().get(2).contains("missing.png"), l.problems().get(2));

        FaceSample a = l.samples().get(0);
        assertEquals(dir.resolve("images/a.png").toAbsolutePath().normalize(), a.image());
        assertEquals(LandmarkScheme.FIVE.size(), a.landmarks().size());
        // x0,y0,x1,y1,...: left eye, right eye, nose, mouth left, mouth right
        assertArrayEquals(new float[]{34.32f, 34.80f, 47.28f, 36.24f, 40.40f, 46.00f, 34.00f, 50.80f, 45.04f, 52.08f},
                a.landmarks().toArray());
        assertArrayEquals(new float[]{1, 6, 2, 7, 3, 8, 4, 9, 5, 10}, l.samples().get(1).landmarks().toArray());
    }

    @Test
    void headerIsOptional(@TempDir Path dir) throws IOException {
        png(dir.resolve("a.png"));
        Path csv = dir.resolve("nohead.csv");
        Files.writeString(csv, "a.png,1,2,3,4,5,6,7,8,9,10\r\na.png,1,2,3,4,5,6,7,8,9,11\r\n");
        PtsFolder.Loaded l = MtflCsv.load(csv);
        assertEquals(2, l.samples().size());
        assertTrue(l.problems().isEmpty(), l.problems().toString());
        assertEquals(11f, l.samples().get(1).landmarks().y(4));
    }

    @Test
    void namedHeaderColumnsAreReadByName(@TempDir Path dir) throws IOException {
        png(dir.resolve("a.png"));
        Path csv = dir.resolve("reordered.csv");
        Files.writeString(csv, "left_eye_x,left_eye_y,right_eye_x,right_eye_y,nose_x,nose_y,"
                + "mouth_left_x,mouth_left_y,mouth_right_x,mouth_right_y,image\n"
                + "1,6,2,7,3,8,4,9,5,10,a.png\n");
        PtsFolder.Loaded l = MtflCsv.load(csv);
        assertTrue(l.problems().isEmpty(), l.problems().toString());
        assertArrayEquals(new float[]{1, 6, 2, 7, 3, 8, 4, 9, 5, 10}, l.samples().get(0).landmarks().toArray());
    }

    @Test
    void unreadableFileNamesTheFile(@TempDir Path dir) {
        Path csv = dir.resolve("nope.csv");
        DataFormatException e = assertThrows(DataFormatException.class, () -> MtflCsv.load(csv));
        assertTrue(e.getMessage().contains("nope.csv"), e.getMessage());
    }

    @Test
    void realMtflTestSetLoads() {
        Path csv = Path.of("../shared/data/mtfl5/test.csv");
        Assumptions.assumeTrue(Files.isRegularFile(csv), "MTFL test.csv not on this machine: " + csv);
        PtsFolder.Loaded l = MtflCsv.load(csv);
        assertEquals(2995, l.samples().size(), () -> "problems: " + l.problems().stream().limit(5).toList());
        assertTrue(l.problems().isEmpty(), () -> l.problems().stream().limit(5).toList().toString());
        assertTrue(Files.isRegularFile(l.samples().get(0).image()));
    }
}

package dev.lightmark.data;

import dev.lightmark.geometry.Box;
import dev.lightmark.landmarks.LandmarkScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WflwAnnotationsTest {
    /** A WFLW line: point i at (100 + i + 0.5, 200 + 2i), the given box, attributes and path. */
    static String line(String box, String attrs, String path) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 98; i++)
            sb.append(String.format(Locale.ROOT, "%.3f %.3f ", 100 + i + 0.5, 200.0 + 2 * i));
        return sb.append(box).append(' ').append(attrs).append(' ').append(path).toString();
    }

    @Test
    void loadsFacesWithBoxAndAttributes(@TempDir Path dir) throws IOException {
        Path root = dir.resolve("WFLW_images");
        MtflCsvTest.png(root.resolve("51--Dresses/51_Dresses_wearingdress_51_377.jpg"));
        MtflCsvTest.png(root.resolve("2--Demonstration/with space.png"));
        Path txt = dir.resolve("list_98pt_rect_attr_test.txt");
        Files.writeString(txt, String.join("\n",
                line("90 190 210 410", "1 0 0 1 0 1", "51--Dresses/51_Dresses_wearingdress_51_377.jpg"),  // 1
                "1 2 3 4 5",                                                                             // 2: too short
                line("90 190 210 410", "0 0 0 0 0 0", "2--Demonstration/missing.jpg"),                   // 3: no image
                line("90 190 abc 410", "0 0 0 0 0 0", "51--Dresses/51_Dresses_wearingdress_51_377.jpg"),  // 4: not a number
                line("90 190 210 410", "0 2 0 0 0 0", "51--Dresses/51_Dresses_wearingdress_51_377.jpg"),  // 5: bad flag
                line("300 190 210 410", "0 0 0 0 0 0", "51--Dresses/51_Dresses_wearingdress_51_377.jpg"), // 6: inverted box
                "",                                                                                      // 7: blank
                line("10 20 30 60", "0 1 1 0 1 0", "2--Demonstration/with space.png") + "  ")            // 8
                + "\n");
        PtsFolder.Loaded l = WflwAnnotations.load(txt, root);
        assertEquals(2, l.samples().size(), l.problems().toString());
        assertEquals(5, l.problems().size(), l.problems().toString());
        String[] expect = {"line 2", "line 3", "line 4", "line 5", "line 6"};
        for (int i = 0; i < expect.length; i++) {
            String p = l.problems().get(i);
            assertTrue(p.contains("list_98pt_rect_attr_test.txt") && p.contains(expect[i]), p);
        }
        assertTrue(l.problems().get(1).contains("missing.jpg"), l.problems().get(1));
        assertTrue(l.problems().get(2).contains("abc"), l.problems().get(2));
        assertTrue(l.problems().get(3).contains("expression"), l.problems().get(3));

        FaceSample s = l.samples().get(0);
        assertEquals(root.resolve("51--Dresses/51_Dresses_wearingdress_51_377.jpg").normalize(), s.image());
        assertEquals(LandmarkScheme.WFLW98.size(), s.landmarks().size());
        assertEquals(100.5f, s.landmarks().x(0));
        assertEquals(200f, s.landmarks().y(0));
        assertEquals(197.5f, s.landmarks().x(97));
        assertEquals(394f, s.landmarks().y(97));
        assertEquals(new Box(90, 190, 120, 220), s.box());
        assertArrayEquals(new int[]{1, 0, 0, 1, 0, 1}, s.attributes());
        assertEquals(1, s.attributes()[WflwAnnotations.POSE]);
        assertEquals(1, s.attributes()[WflwAnnotations.BLUR]);

        FaceSample t = l.samples().get(1);
        assertEquals("with space", t.name());
        assertEquals(new Box(10, 20, 20, 40), t.box());
        assertArrayEquals(new int[]{0, 1, 1, 0, 1, 0}, t.attributes());
    }

    @Test
    void emptyFileGivesNothingAndMissingFileNamesIt(@TempDir Path dir) throws IOException {
        Path txt = dir.resolve("empty.txt");
        Files.writeString(txt, "\n");
        PtsFolder.Loaded l = WflwAnnotations.load(txt, dir);
        assertTrue(l.samples().isEmpty() && l.problems().isEmpty());
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> WflwAnnotations.load(dir.resolve("absent.txt"), dir));
        assertTrue(e.getMessage().contains("absent.txt"), e.getMessage());
    }
}

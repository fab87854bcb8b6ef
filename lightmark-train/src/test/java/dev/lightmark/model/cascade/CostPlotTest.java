package dev.lightmark.model.cascade;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CostPlotTest {
    @Test
    void linesPointsAndLevelsAreDrawnInTheirColours() throws Exception {
        Path png = Path.of("target", "eval-samples", "cost-sample.png");
        new CostPlot().title("NME vs mult-adds, 300-W common")
                .line("cascade, stages", List.of(new CostPlot.Point(23e6, 0.0471, "1"), new CostPlot.Point(47e6, 0.0376, "2"),
                        new CostPlot.Point(70e6, 0.0366, "3")))
                .points("cascade, early exit", List.of(new CostPlot.Point(30e6, 0.041, "0.05"), new CostPlot.Point(40e6, 0.0385, "0.04")))
                .level("dlib ERT, GT box", 0.0572)
                .write(png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(900, img.getWidth());
        int blue = 0, red = 0;
        for (int y = 0; y < img.getHeight(); y++)
            for (int x = 0; x < img.getWidth(); x++) {
                int c = img.getRGB(x, y) & 0xFFFFFF;
                if (c == 0x1f77b4) blue++;
                if (c == 0xd62728) red++;
            }
        assertTrue(blue > 100, "the line series is drawn (" + blue + " px)");
        assertTrue(red > 20, "the loose points are drawn (" + red + " px)");
        assertThrows(IllegalStateException.class, () -> new CostPlot().render());
    }
}

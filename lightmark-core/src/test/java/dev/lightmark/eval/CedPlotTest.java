package dev.lightmark.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CedPlotTest {
    static double[] errors(long seed, int n, double centre, double spread) {
        Random rnd = new Random(seed);
        double[] e = new double[n];
        for (int i = 0; i < n; i++) e[i] = Math.abs(centre + spread * rnd.nextGaussian() + 0.3 * spread * Math.abs(rnd.nextGaussian()));
        return e;
    }

    @Test
    void writesDecodablePngOfExpectedSize(@TempDir Path dir) throws Exception {
        EvalReport a = EvalReport.ofErrors("lightmark-s (ours)", Normalizer.INTER_OCULAR, errors(1, 554, 0.034, 0.012));
        EvalReport b = EvalReport.ofErrors("baseline", Normalizer.INTER_OCULAR, errors(2, 554, 0.045, 0.018));
        Path png = dir.resolve("sub/ced.png");
        new CedPlot().title("300-W full set (554 faces)").maxError(0.10)
                .add(a).add(b)
                .addMarker("dlib ERT", 0.061)
                .addMarker("SDM", 0.0718)
                .addMarker("far away", 0.25)
                .write(png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "ImageIO could not decode the PNG");
        assertEquals(800, img.getWidth());
        assertEquals(600, img.getHeight());
        assertEquals(0xFFFFFF, img.getRGB(2, 2) & 0xFFFFFF, "background is white");
        // some pixels have the first curve's colour
        boolean blue = false;
        for (int y = 0; y < img.getHeight() && !blue; y++)
            for (int x = 0; x < img.getWidth() && !blue; x++) blue = (img.getRGB(x, y) & 0xFFFFFF) == 0x1f77b4;
        assertTrue(blue, "first curve drawn");
        // keep a sample next to the build output for people to look at
        Path sample = Path.of("target", "eval-samples", "ced-sample.png");
        Files.createDirectories(sample.getParent());
        Files.copy(png, sample, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void customSizeAndBareErrors(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("small.png");
        new CedPlot().size(640, 480).maxError(0.08).xLabel("NME (inter-pupil)")
                .addCurve("bare", 0.0, 0.01, 0.02, 0.02, 0.05, 0.2).write(png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(640, img.getWidth());
        assertEquals(480, img.getHeight());
    }

    @Test
    void closeMarkersAndAPoorModelStillRender(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("crowded.png");
        new CedPlot()
                .add(EvalReport.ofErrors("poor model", Normalizer.INTER_PUPIL, errors(3, 300, 0.09, 0.04)))
                .add(EvalReport.ofErrors("good model", Normalizer.INTER_PUPIL, errors(4, 300, 0.03, 0.01)))
                .addMarker("method A", 0.050).addMarker("method B", 0.052).addMarker("method C", 0.054)
                .write(png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(800, img.getWidth());
        Path sample = Path.of("target", "eval-samples", "ced-crowded.png");
        Files.createDirectories(sample.getParent());
        Files.copy(png, sample, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void sevenCurvesAndAMarkerRender(@TempDir Path dir) throws Exception {
        CedPlot plot = new CedPlot().size(640, 480).title("many models");
        for (int i = 0; i < 7; i++) plot.add(EvalReport.ofErrors("model " + i, Normalizer.INTER_OCULAR,
                errors(10 + i, 200, 0.015 + 0.012 * i, 0.004 + 0.006 * i)));
        plot.addMarker("reference", 0.045);
        Path png = dir.resolve("many.png");
        plot.write(png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(640, img.getWidth());
        assertEquals(480, img.getHeight());
        Path sample = Path.of("target", "eval-samples", "ced-many.png");
        Files.createDirectories(sample.getParent());
        Files.copy(png, sample, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void rejectsEmptyPlotAndBadValues() {
        assertThrows(IllegalStateException.class, () -> new CedPlot().render());
        assertThrows(IllegalArgumentException.class, () -> new CedPlot().maxError(0));
        assertThrows(IllegalArgumentException.class, () -> new CedPlot().addMarker("x", Double.NaN));
    }

    @Test
    void cedStepsCountTheShareOfFacesAtOrUnderEachError() {
        double[][] xy = CedPlot.steps(new double[]{0.01, 0.02, 0.02, 0.05, 0.2}, 0.10);
        // (0,0), then a rise at 0.01 to 1/5, at 0.02 to 3/5 (two faces), at 0.05 to 4/5, flat to the axis end
        assertArrayEquals(new double[]{0, 0.01, 0.01, 0.02, 0.02, 0.05, 0.05, 0.10}, xy[0], 1e-12);
        assertArrayEquals(new double[]{0, 0, 0.2, 0.2, 0.6, 0.6, 0.8, 0.8}, xy[1], 1e-12);
    }

    @Test
    void legendGivesMeanNmeAndAucAtTheAxisEndAndMarksOffAxisMethods() {
        CedPlot p = new CedPlot().maxError(0.08).addCurve("m", 0.02, 0.04).addMarker("dlib", 0.032).addMarker("far", 0.3);
        EvalReport r = EvalReport.ofErrors("m", null, 0.02, 0.04);
        assertEquals(List.of(String.format(java.util.Locale.ROOT, "m (NME 3.00%%, AUC@0.08 %.1f%%)", 100 * r.auc(0.08)),
                "dlib @ 3.20%", "far @ 30.00% (off axis)"), p.legend());
    }
}

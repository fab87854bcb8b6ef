package dev.lightmark.testdata;

import dev.lightmark.data.PtsFormat;
import dev.lightmark.landmarks.Landmarks;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Tiny made-up "faces" for tests: a 68-point template, randomly scaled, shifted and rotated,
 * drawn as light contours on a noisy dark background, saved as PNG + .pts pairs.
 */
public final class SyntheticFaces {
    private SyntheticFaces() {}

    /** A rough 68-point face in a unit square (x right, y down). */
    public static float[] template() {
        float[] t = new float[136];
        for (int i = 0; i <= 16; i++) {                       // jaw: lower half ellipse
            double a = Math.PI * (1 - i / 16.0);
            set(t, i, 0.5 + 0.45 * Math.cos(a), 0.45 + 0.5 * Math.sin(a));
        }
        for (int i = 0; i < 5; i++) {                         // brows
            set(t, 17 + i, 0.15 + 0.07 * i, 0.3 - 0.03 * Math.sin(Math.PI * i / 4));
            set(t, 22 + i, 0.57 + 0.07 * i, 0.3 - 0.03 * Math.sin(Math.PI * i / 4));
        }
        for (int i = 0; i < 4; i++) set(t, 27 + i, 0.5, 0.38 + 0.07 * i);   // nose bridge
        for (int i = 0; i < 5; i++) set(t, 31 + i, 0.42 + 0.04 * i, 0.65);  // nostrils
        for (int e = 0; e < 2; e++) {                                       // eyes
            double cx = e == 0 ? 0.3 : 0.7;
            for (int i = 0; i < 6; i++) {
                double a = Math.PI - 2 * Math.PI * i / 6;
                set(t, 36 + 6 * e + i, cx + 0.09 * Math.cos(a), 0.42 - 0.04 * Math.sin(a));
            }
        }
        for (int i = 0; i < 12; i++) {                                      // outer lips
            double a = Math.PI - 2 * Math.PI * i / 12;
            set(t, 48 + i, 0.5 + 0.17 * Math.cos(a), 0.8 - 0.06 * Math.sin(a));
        }
        for (int i = 0; i < 8; i++) {                                       // inner lips
            double a = Math.PI - 2 * Math.PI * i / 8;
            set(t, 60 + i, 0.5 + 0.11 * Math.cos(a), 0.8 - 0.02 * Math.sin(a));
        }
        return t;
    }

    private static void set(float[] t, int i, double x, double y) {
        t[2 * i] = (float) x;
        t[2 * i + 1] = (float) y;
    }

    /** Writes {@code n} faces of {@code size} px into {@code dir}; returns dir. */
    public static Path write(Path dir, int n, int size, long seed) throws IOException {
        Files.createDirectories(dir);
        Random r = new Random(seed);
        float[] t = template();
        for (int k = 0; k < n; k++) {
            double scale = size * (0.45 + 0.2 * r.nextDouble());
            double ang = Math.toRadians(r.nextGaussian() * 10);
            double cx = size / 2.0 + (r.nextDouble() - 0.5) * size * 0.15;
            double cy = size / 2.0 + (r.nextDouble() - 0.5) * size * 0.15;
            float[] xy = new float[136];
            for (int i = 0; i < 68; i++) {
                double x = (t[2 * i] - 0.5) * scale, y = (t[2 * i + 1] - 0.5) * scale;
                xy[2 * i] = (float) (cx + x * Math.cos(ang) - y * Math.sin(ang));
                xy[2 * i + 1] = (float) (cy + x * Math.sin(ang) + y * Math.cos(ang));
            }
            BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++) {
                    int v = 30 + r.nextInt(30);
                    img.setRGB(x, y, (v << 16) | (v << 8) | v);
                }
            Graphics2D g = img.createGraphics();
            g.setStroke(new BasicStroke(Math.max(1f, size / 64f)));
            int[][] parts = {{0, 16}, {17, 21}, {22, 26}, {27, 30}, {31, 35}, {36, 41}, {42, 47}, {48, 59}, {60, 67}};
            Color[] colours = {Color.WHITE, Color.YELLOW, Color.ORANGE, Color.CYAN, Color.GREEN, Color.RED, Color.BLUE, Color.PINK, Color.MAGENTA};
            for (int p = 0; p < parts.length; p++) {
                Path2D.Float path = new Path2D.Float();
                path.moveTo(xy[2 * parts[p][0]], xy[2 * parts[p][0] + 1]);
                for (int i = parts[p][0] + 1; i <= parts[p][1]; i++) path.lineTo(xy[2 * i], xy[2 * i + 1]);
                g.setColor(colours[p]);
                g.draw(path);
            }
            g.dispose();
            String name = String.format("face_%03d", k);
            ImageIO.write(img, "png", dir.resolve(name + ".png").toFile());
            PtsFormat.write(dir.resolve(name + ".pts"), new Landmarks(xy));
        }
        return dir;
    }
}

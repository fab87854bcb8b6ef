package dev.lightmark.data;

import dev.lightmark.landmarks.Landmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The MTFL five-point CSV ({@code mtfl5/train.csv}, {@code test.csv}): one face per line,
 * {@code image,x0..x4,y0..y4} with the image path relative to the CSV's folder and points in
 * {@link dev.lightmark.landmarks.LandmarkScheme#FIVE} order (left eye, right eye, nose, left and
 * right mouth corner). A first line whose coordinate fields are not numbers is taken as a header;
 * if it names the columns {@code left_eye_x ... mouth_right_y} they are read by name, so a
 * reordered file still loads correctly. A line that cannot be used is reported with the file and
 * its line number in {@link PtsFolder.Loaded#problems()} and skipped.
 */
public final class MtflCsv {
    private static final String[] POINTS = {"left_eye", "right_eye", "nose", "mouth_left", "mouth_right"};
    private static final int COLUMNS = 11;

    private MtflCsv() {}

    /**
     * Loads every usable face of {@code csv}.
     *
     * @throws DataFormatException if the file cannot be read or its header is unusable
     */
    public static PtsFolder.Loaded load(Path csv) {
        Path base = csv.toAbsolutePath().getParent();
        List<FaceSample> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            int[] xCol = {1, 2, 3, 4, 5}, yCol = {6, 7, 8, 9, 10};
            int imageCol = 0;
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') line = line.substring(1);
                if (line.isBlank()) continue;
                String[] f = split(line);
                if (lineNo == 1 && isHeader(f)) {
                    int[][] named = columnsByName(f, csv);
                    if (named != null) {
                        imageCol = named[0][0];
                        xCol = named[1];
                        yCol = named[2];
                    } else if (f.length != COLUMNS) {
                        throw new DataFormatException(csv, "header has " + f.length + " columns, expected "
                                + COLUMNS + " (image, 5 x, 5 y)");
                    }
                    continue;
                }
                try {
                    out.add(parse(f, lineNo, csv, base, imageCol, xCol, yCol));
                } catch (DataFormatException e) {
                    problems.add(e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new DataFormatException(csv, "cannot read: " + e.getMessage(), e);
        }
        return new PtsFolder.Loaded(out, problems);
    }

    private static FaceSample parse(String[] f, int lineNo, Path csv, Path base, int imageCol, int[] xCol, int[] yCol) {
        if (f.length != COLUMNS)
            throw new DataFormatException(csv, "line " + lineNo + ": " + f.length + " columns, expected " + COLUMNS);
        String rel = f[imageCol];
        if (rel.isEmpty()) throw new DataFormatException(csv, "line " + lineNo + ": empty image path");
        float[] xy = new float[10];
        for (int i = 0; i < 5; i++) {
            xy[2 * i] = number(f[xCol[i]], lineNo, xCol[i], csv);
            xy[2 * i + 1] = number(f[yCol[i]], lineNo, yCol[i], csv);
        }
        Path image = base.resolve(rel).normalize();
        if (!Files.isRegularFile(image))
            throw new DataFormatException(csv, "line " + lineNo + ": image not found: " + image);
        return new FaceSample(image, new Landmarks(xy));
    }

    private static float number(String s, int lineNo, int col, Path csv) {
        try {
            float v = Float.parseFloat(s);
            if (Float.isFinite(v)) return v;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new DataFormatException(csv, "line " + lineNo + ", column " + (col + 1) + ": not a number: '" + s + "'");
    }

    private static boolean isHeader(String[] f) {
        if (f.length < 2) return false;
        try {
            Float.parseFloat(f[1]);
            return false;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** {image, xs, ys} column indices if the header names all the MTFL columns, else null. */
    private static int[][] columnsByName(String[] header, Path csv) {
        int[] xs = new int[5], ys = new int[5];
        for (int i = 0; i < 5; i++) {
            xs[i] = indexOf(header, POINTS[i] + "_x");
            ys[i] = indexOf(header, POINTS[i] + "_y");
            if (xs[i] < 0 || ys[i] < 0) return null;
        }
        int image = indexOf(header, "image");
        if (image < 0) image = 0;
        if (header.length != COLUMNS)
            throw new DataFormatException(csv, "header has " + header.length + " columns, expected " + COLUMNS);
        return new int[][]{{image}, xs, ys};
    }

    private static int indexOf(String[] a, String name) {
        for (int i = 0; i < a.length; i++) if (a[i].equalsIgnoreCase(name)) return i;
        return -1;
    }

    private static String[] split(String line) {
        String[] f = line.split(",", -1);
        for (int i = 0; i < f.length; i++) {
            String t = f[i].trim();
            if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) t = t.substring(1, t.length() - 1);
            f[i] = t;
        }
        return f;
    }
}

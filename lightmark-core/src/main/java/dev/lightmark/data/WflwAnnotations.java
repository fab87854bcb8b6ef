package dev.lightmark.data;

import dev.lightmark.geometry.Box;
import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A WFLW annotation list ({@code list_98pt_rect_attr_train.txt} / {@code ..._test.txt}): one face a
 * line, whitespace separated: 196 coordinates (98 points as x y), the face box
 * {@code x_min y_min x_max y_max}, six 0/1 attribute flags (pose, expression, illumination,
 * make-up, occlusion, blur) and the image path relative to the image root. A line that cannot be
 * used is reported with the file and its line number in {@link PtsFolder.Loaded#problems()} and skipped.
 */
public final class WflwAnnotations {
    /** Index of each attribute in {@link FaceSample#attributes()}. */
    public static final int POSE = 0, EXPRESSION = 1, ILLUMINATION = 2, MAKEUP = 3, OCCLUSION = 4, BLUR = 5;
    public static final List<String> ATTRIBUTE_NAMES =
            List.of("pose", "expression", "illumination", "make-up", "occlusion", "blur");

    private static final int POINTS = LandmarkScheme.WFLW98.size();
    private static final int COORDS = 2 * POINTS;
    private static final int NUMBERS = COORDS + 4 + 6;

    private WflwAnnotations() {}

    /**
     * Loads every usable face of {@code annotationTxt}, resolving image paths against {@code imageRoot}.
     *
     * @throws DataFormatException if the file cannot be read
     */
    public static PtsFolder.Loaded load(Path annotationTxt, Path imageRoot) {
        List<FaceSample> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(annotationTxt, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') line = line.substring(1);
                if (line.isBlank()) continue;
                try {
                    out.add(parse(line.strip(), lineNo, annotationTxt, imageRoot));
                } catch (DataFormatException e) {
                    problems.add(e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new DataFormatException(annotationTxt, "cannot read: " + e.getMessage(), e);
        }
        return new PtsFolder.Loaded(out, problems);
    }

    private static FaceSample parse(String line, int lineNo, Path file, Path imageRoot) {
        String where = "line " + lineNo + ": ";
        float[] v = new float[NUMBERS];
        int pos = 0;
        for (int k = 0; k < NUMBERS; k++) {
            int start = skipSpace(line, pos);
            if (start >= line.length())
                throw new DataFormatException(file, where + "only " + k + " fields, expected " + NUMBERS
                        + " numbers and an image path");
            int end = start;
            while (end < line.length() && !Character.isWhitespace(line.charAt(end))) end++;
            String tok = line.substring(start, end);
            try {
                v[k] = Float.parseFloat(tok);
            } catch (NumberFormatException e) {
                throw new DataFormatException(file, where + "field " + (k + 1) + " is not a number: '" + tok
                        + "' (expected " + NUMBERS + " numbers before the image path)");
            }
            if (!Float.isFinite(v[k]))
                throw new DataFormatException(file, where + "field " + (k + 1) + " is not finite: '" + tok + "'");
            pos = end;
        }
        // the rest of the line is the path (kept whole so a name with spaces survives)
        String rel = line.substring(skipSpace(line, pos)).strip();
        if (rel.isEmpty()) throw new DataFormatException(file, where + "no image path after " + NUMBERS + " numbers");

        float[] xy = new float[COORDS];
        System.arraycopy(v, 0, xy, 0, COORDS);
        float x0 = v[COORDS], y0 = v[COORDS + 1], x1 = v[COORDS + 2], y1 = v[COORDS + 3];
        if (x1 < x0 || y1 < y0)
            throw new DataFormatException(file, where + "face box has x_max < x_min or y_max < y_min: "
                    + x0 + " " + y0 + " " + x1 + " " + y1);
        int[] attr = new int[6];
        for (int a = 0; a < 6; a++) {
            float f = v[COORDS + 4 + a];
            if (f != 0f && f != 1f)
                throw new DataFormatException(file, where + ATTRIBUTE_NAMES.get(a) + " flag is " + f + ", expected 0 or 1");
            attr[a] = (int) f;
        }
        Path image = imageRoot.resolve(rel).normalize();
        if (!Files.isRegularFile(image))
            throw new DataFormatException(file, where + "image not found: " + image);
        return new FaceSample(image, new Landmarks(xy), new Box(x0, y0, x1 - x0, y1 - y0), attr);
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        return i;
    }
}

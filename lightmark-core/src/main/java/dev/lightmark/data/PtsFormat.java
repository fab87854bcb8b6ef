package dev.lightmark.data;

import dev.lightmark.landmarks.Landmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The iBUG {@code .pts} format: {@code version: 1}, {@code n_points: N}, {@code {}, N lines "x y", {@code }}. */
public final class PtsFormat {
    private PtsFormat() {}

    public static Landmarks read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot read: " + e.getMessage(), e);
        }
        int declared = -1;
        int i = 0;
        for (; i < lines.size(); i++) {
            String l = lines.get(i).trim();
            if (l.startsWith("n_points")) {
                String[] kv = l.split(":");
                try {
                    declared = Integer.parseInt(kv[1].trim());
                } catch (RuntimeException e) {
                    throw new DataFormatException(file, "bad n_points line '" + l + "'");
                }
            } else if (l.equals("{")) {
                i++;
                break;
            }
        }
        if (declared < 0) throw new DataFormatException(file, "no 'n_points:' header (not a .pts file?)");
        List<Float> v = new ArrayList<>();
        boolean closed = false;
        for (; i < lines.size(); i++) {
            String l = lines.get(i).trim();
            if (l.isEmpty()) continue;
            if (l.equals("}")) { closed = true; break; }
            String[] p = l.split("\\s+");
            if (p.length != 2) throw new DataFormatException(file, "line " + (i + 1) + " is not 'x y': '" + l + "'");
            try {
                float x = Float.parseFloat(p[0]), y = Float.parseFloat(p[1]);
                if (!Float.isFinite(x) || !Float.isFinite(y)) throw new NumberFormatException();
                v.add(x);
                v.add(y);
            } catch (NumberFormatException e) {
                throw new DataFormatException(file, "line " + (i + 1) + " has a non-numeric point: '" + l + "'");
            }
        }
        if (!closed) throw new DataFormatException(file, "missing closing '}'");
        if (v.size() / 2 != declared)
            throw new DataFormatException(file, "declares " + declared + " points but has " + v.size() / 2);
        float[] xy = new float[v.size()];
        for (int k = 0; k < xy.length; k++) xy[k] = v.get(k);
        return new Landmarks(xy);
    }

    public static void write(Path file, Landmarks lm) throws IOException {
        StringBuilder sb = new StringBuilder("version: 1\nn_points: " + lm.size() + "\n{\n");
        for (int i = 0; i < lm.size(); i++)
            sb.append(String.format(Locale.ROOT, "%.3f %.3f%n", lm.x(i), lm.y(i)));
        sb.append("}\n");
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }
}

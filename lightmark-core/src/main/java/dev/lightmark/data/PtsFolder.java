package dev.lightmark.data;

import dev.lightmark.landmarks.Landmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A folder of {@code NAME.jpg|png + NAME.pts} pairs (300-W, ytf68). A pair that cannot be used is
 * reported in {@link Loaded#problems()} and skipped; it never stops the rest from loading.
 */
public final class PtsFolder {
    private static final String[] IMAGE_EXT = {".jpg", ".jpeg", ".png", ".JPG", ".PNG"};

    private PtsFolder() {}

    public record Loaded(List<FaceSample> samples, List<String> problems) {}

    public static Loaded load(Path dir, int expectedPoints) {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("not a folder: " + dir);
        List<Path> pts;
        try (Stream<Path> s = Files.list(dir)) {
            pts = s.filter(p -> p.getFileName().toString().endsWith(".pts")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        List<FaceSample> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path p : pts) {
            try {
                Landmarks lm = PtsFormat.read(p);
                if (expectedPoints > 0 && lm.size() != expectedPoints)
                    throw new DataFormatException(p, "has " + lm.size() + " points, expected " + expectedPoints);
                Path img = imageFor(p);
                if (img == null) throw new DataFormatException(p, "no image beside it (looked for .jpg/.jpeg/.png)");
                out.add(new FaceSample(img, lm));
            } catch (DataFormatException e) {
                problems.add(e.getMessage());
            }
        }
        if (out.isEmpty() && problems.isEmpty())
            throw new IllegalArgumentException("no .pts files in " + dir);
        return new Loaded(out, problems);
    }

    /** The folder of a {@link #loadSelection} spec: {@code DIR} of {@code DIR} or {@code DIR@LIST}. */
    public static Path folderOf(String spec) {
        int at = spec.indexOf('@');
        return Path.of(at < 0 ? spec : spec.substring(0, at));
    }

    /** The face names of a list file (one per line, e.g. a run's val-faces.txt), blank lines left out, in file order. */
    public static java.util.Set<String> readNames(Path list) throws IOException {
        java.util.Set<String> names = new java.util.LinkedHashSet<>(Files.readAllLines(list));
        names.removeIf(String::isBlank);
        return names;
    }

    /**
     * A folder, or part of one: {@code DIR} is every face in it, {@code DIR@LIST} only the faces
     * named in the text file LIST (one name per line, e.g. a run's val-faces.txt or a split of
     * the persons). A listed name the folder lacks is a problem, reported like an unusable pair.
     */
    public static Loaded loadSelection(String spec, int expectedPoints) {
        int at = spec.indexOf('@');
        return loadSelection(folderOf(spec), at < 0 ? null : Path.of(spec.substring(at + 1)), expectedPoints);
    }

    /**
     * The faces of {@code folder}, only those named in {@code list} when it is not null; a name
     * with no usable face there is reported as a problem.
     */
    public static Loaded loadSelection(Path folder, Path list, int expectedPoints) {
        if (list == null) return load(folder, expectedPoints);
        java.util.Set<String> names;
        try {
            names = readNames(list);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the face list " + list + " (" + e.getMessage() + ")", e);
        }
        Loaded all = load(folder, expectedPoints);
        List<FaceSample> kept = all.samples().stream().filter(f -> names.contains(f.name())).toList();
        List<String> problems = new ArrayList<>(all.problems());
        java.util.Set<String> found = new java.util.HashSet<>();
        kept.forEach(f -> found.add(f.name()));
        for (String n : names)
            if (!found.contains(n)) problems.add(list + ": " + n + " is not a usable face of " + folder);
        return new Loaded(kept, problems);
    }

    private static Path imageFor(Path pts) {
        String base = pts.getFileName().toString();
        base = base.substring(0, base.length() - 4);
        for (String ext : IMAGE_EXT) {
            Path c = pts.resolveSibling(base + ext);
            if (Files.isRegularFile(c)) return c;
        }
        return null;
    }
}

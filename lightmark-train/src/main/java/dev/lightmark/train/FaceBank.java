package dev.lightmark.train;

import dev.lightmark.data.DataFormatException;
import dev.lightmark.data.FaceSample;
import dev.lightmark.image.Images;
import dev.lightmark.image.Warp;
import dev.lightmark.progress.ProgressBar;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;

/**
 * Decoded training images held in memory (300-W crops are at most 320 px, ~400 KB each), so
 * that epochs do not re-decode JPEGs. An image that fails to decode is reported and skipped.
 */
public final class FaceBank {
    public record Face(FaceSample sample, int[] pixels, int width, int height) {}

    private final List<Face> faces;
    private final List<String> problems;

    private FaceBank(List<Face> faces, List<String> problems) {
        this.faces = faces;
        this.problems = problems;
    }

    /**
     * Decodes the samples' images, each distinct file once (a face listed twice, e.g. by
     * {@code trainRepeats}, shares its pixels).
     */
    public static FaceBank load(List<FaceSample> samples, String label) {
        java.util.Map<java.nio.file.Path, Integer> first = new java.util.LinkedHashMap<>();
        int[] source = new int[samples.size()];
        for (int i = 0; i < samples.size(); i++)
            source[i] = first.computeIfAbsent(samples.get(i).image().toAbsolutePath().normalize(), k -> first.size());
        List<java.nio.file.Path> files = new ArrayList<>(first.keySet());
        Face[] decoded = new Face[files.size()];
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        try (ProgressBar bar = new ProgressBar(label, files.size(), "images")) {
            IntStream.range(0, files.size()).parallel().forEach(i -> {
                try {
                    BufferedImage img = Images.read(files.get(i));
                    decoded[i] = new Face(null, Warp.pixels(img), img.getWidth(), img.getHeight());
                } catch (DataFormatException e) {
                    problems.add(e.getMessage());
                }
                bar.step(1);
            });
        }
        List<Face> kept = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            Face d = decoded[source[i]];
            if (d != null) kept.add(new Face(samples.get(i), d.pixels(), d.width(), d.height()));
        }
        return new FaceBank(kept, new ArrayList<>(problems));
    }

    /** The same decoded images with each face's annotation replaced. */
    public FaceBank map(java.util.function.UnaryOperator<FaceSample> change) {
        List<Face> changed = new ArrayList<>(faces.size());
        for (Face f : faces) changed.add(new Face(change.apply(f.sample()), f.pixels(), f.width(), f.height()));
        return new FaceBank(changed, problems);
    }

    /** The faces listed in this order (a face may appear more than once; images are shared, not copied). */
    public FaceBank listed(int[] indices) {
        List<Face> out = new ArrayList<>(indices.length);
        for (int i : indices) out.add(faces.get(i));
        return new FaceBank(out, problems);
    }

    public List<Face> faces() { return faces; }
    public List<String> problems() { return problems; }
    public int size() { return faces.size(); }
    public Face get(int i) { return faces.get(i); }
}

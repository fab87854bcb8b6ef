package dev.lightmark.infer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lightmark.io.ModelFiles;
import dev.lightmark.landmarks.Landmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A constant shift, in pixels of the image the model reads, added to every point: minus the mean
 * amount by which the model's points miss their annotations on training faces ({@code lightmark
 * calibrate}). Why a model needs one: annotation files place points a pixel or so off the image
 * content as this library samples it (a pixel-origin convention), and training's mirror
 * augmentation turns that offset around in x on half the crops, so a network learns only part of
 * it. The flip test averages a reading and a mirrored one whose offsets differ, so each path has
 * its own shift. Saved beside the model as {@code NAME.calibration.json}; {@link #NONE} when
 * there is none.
 */
public record PointCalibration(int version, String fittedOn, Shift onePass, Shift flip) {
    /** Pixels added to x and y. */
    public record Shift(double x, double y) {
        public static final Shift ZERO = new Shift(0, 0);

        boolean isZero() { return x == 0 && y == 0; }
    }

    public static final PointCalibration NONE = new PointCalibration(1, "none", Shift.ZERO, Shift.ZERO);
    public static final String SUFFIX = ".calibration.json";

    /** Beyond this a shift is not a pixel convention but a broken fit or file. */
    static final double MAX_SHIFT_PIXELS = 20;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public PointCalibration {
        if (onePass == null || flip == null) throw new IllegalArgumentException("calibration needs onePass and flip shifts");
        for (Shift s : List.of(onePass, flip))
            if (!Double.isFinite(s.x()) || !Double.isFinite(s.y())
                    || Math.abs(s.x()) > MAX_SHIFT_PIXELS || Math.abs(s.y()) > MAX_SHIFT_PIXELS)
                throw new IllegalArgumentException("calibration shift " + s + " is not finite or over " + MAX_SHIFT_PIXELS + " px");
    }

    public Shift shift(boolean flipTest) { return flipTest ? flip : onePass; }

    /** The points moved by the shift of the path that produced them. */
    public Landmarks apply(Landmarks points, boolean flipTest) {
        Shift s = shift(flipTest);
        if (s.isZero()) return points;
        float[] xy = points.toArray();
        for (int i = 0; i < xy.length; i += 2) {
            xy[i] += (float) s.x();
            xy[i + 1] += (float) s.y();
        }
        return new Landmarks(xy);
    }

    /**
     * The shift that removes the mean error of {@code predicted} against {@code truth} (pairs in
     * order; null predictions, faces not found, are skipped).
     */
    public static Shift fit(List<Landmarks> truth, List<Landmarks> predicted) {
        if (truth.size() != predicted.size()) throw new IllegalArgumentException(truth.size() + " truths, " + predicted.size() + " predictions");
        double sx = 0, sy = 0;
        long n = 0;
        for (int f = 0; f < truth.size(); f++) {
            Landmarks t = truth.get(f), p = predicted.get(f);
            if (p == null) continue;
            if (p.size() != t.size()) throw new IllegalArgumentException("face " + f + ": " + p.size() + " points predicted, " + t.size() + " annotated");
            for (int i = 0; i < t.size(); i++) {
                sx += t.x(i) - p.x(i);
                sy += t.y(i) - p.y(i);
                n++;
            }
        }
        if (n == 0) throw new IllegalArgumentException("no predicted faces to fit a calibration on");
        return new Shift(sx / n, sy / n);
    }

    /**
     * An ensemble's calibration: the mean of its members' (members average their points, so their
     * mean errors average too); a member without one counts as zero.
     */
    public static PointCalibration mean(List<PointCalibration> members) {
        if (members.size() == 1) return members.get(0);
        double ox = 0, oy = 0, fx = 0, fy = 0;
        for (PointCalibration m : members) {
            ox += m.onePass.x();
            oy += m.onePass.y();
            fx += m.flip.x();
            fy += m.flip.y();
        }
        int n = members.size();
        if (ox == 0 && oy == 0 && fx == 0 && fy == 0) return NONE;
        return new PointCalibration(1, "mean of " + n + " members", new Shift(ox / n, oy / n), new Shift(fx / n, fy / n));
    }

    /** {@code NAME.calibration.json} beside a model file {@code NAME.ext}. */
    public static Path besideModel(Path model) { return ModelFiles.beside(model, SUFFIX); }

    /** The calibration beside a model file, or {@link #NONE}. */
    public static PointCalibration forModel(Path model) throws IOException {
        Path f = besideModel(model);
        return Files.isRegularFile(f) ? load(f) : NONE;
    }

    /** The calibration beside a bundled model resource ({@code /models/x/NAME.onnx}), or {@link #NONE}. */
    public static PointCalibration forResource(String modelResource) {
        String path = ModelFiles.besideResource(modelResource, SUFFIX);
        try (InputStream in = PointCalibration.class.getResourceAsStream(path)) {
            return in == null ? NONE : JSON.readValue(in, PointCalibration.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read bundled " + path + ": " + e.getMessage(), e);
        }
    }

    public static PointCalibration load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return JSON.readValue(in, PointCalibration.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + ": not a point calibration: " + e.getOriginalMessage(), e);
        }
    }

    public void save(Path file) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(this));
    }
}

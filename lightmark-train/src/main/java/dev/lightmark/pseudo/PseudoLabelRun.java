package dev.lightmark.pseudo;

import dev.lightmark.data.FaceSample;
import dev.lightmark.data.MtflCsv;
import dev.lightmark.data.PtsFormat;
import dev.lightmark.geometry.Box;
import dev.lightmark.image.Images;
import dev.lightmark.infer.FacePipeline;
import dev.lightmark.infer.FaceResult;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.progress.ProgressBar;
import dev.lightmark.video.VideoFrame;
import dev.lightmark.video.VideoReader;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Pseudo-labels a set of unlabelled faces into a folder that training reads like any labelled
 * one ({@code NAME.jpg} + {@code NAME.pts}, cut as the shared data is: a square of twice the
 * label's tight box, clamped to the photo, at most 320 px). Every face judged is a row of
 * {@code labels.csv} (kept or why not). Re-running skips faces already judged, so a killed run
 * resumes.
 */
public final class PseudoLabelRun {
    /** Counts of one run. */
    public static final class Counts {
        public int seen, noFace, kept, disagree, shape, fivePoints, skipped;

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "faces seen %d, kept %d (%.1f%%), no face found %d, teachers disagree %d, "
                            + "shape rejected %d, five-point check failed %d, already judged %d",
                    seen, kept, 100.0 * kept / Math.max(1, seen - noFace), noFace, disagree, shape, fivePoints, skipped);
        }
    }

    private final PseudoLabeller labeller;
    private final FacePipeline detector;
    private final Path out;
    private final PrintStream log;
    private final java.util.Set<String> judged = new java.util.HashSet<>();
    private final Counts counts = new Counts();

    public PseudoLabelRun(PseudoLabeller labeller, FacePipeline detector, Path out, PrintStream log) throws IOException {
        this.labeller = labeller;
        this.detector = detector;
        this.out = out;
        this.log = log;
        Files.createDirectories(out);
        Path csv = out.resolve("labels.csv");
        if (Files.exists(csv))
            for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) judged.add(line.split(",", 2)[0]);
        else Files.writeString(csv, "name,source,kept,reason,agreeing,asm_residual,five_nme\n");
    }

    public Counts counts() { return counts; }

    /** MTFL photos, each with its five weak labels; the detector finds the face nearest them. */
    public void mtfl(Path csv, int limit) throws IOException {
        List<FaceSample> faces = MtflCsv.load(csv).samples();
        if (limit > 0 && faces.size() > limit) faces = faces.subList(0, limit);
        try (ProgressBar bar = new ProgressBar("pseudo-label " + csv.getFileName(), faces.size(), "faces")) {
            for (FaceSample f : faces) {
                String name = "mtfl_" + f.image().getFileName().toString().replaceFirst("\\.[^.]+$", "");
                judge(name, f.image().toString(), () -> Images.read(f.image()), f.landmarks());
                bar.status(String.format(Locale.ROOT, "kept %d", counts.kept));
                bar.step(1);
            }
        }
    }

    /** Every {@code every}-th frame of a video, each face the detector finds. */
    public void video(Path file, int every, int maxFrames) throws IOException {
        try (VideoReader r = VideoReader.open(file);
             ProgressBar bar = new ProgressBar("pseudo-label " + file.getFileName(), r.frameCountEstimate(), "frames")) {
            String stem = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
            VideoFrame fr;
            while ((fr = r.read()) != null && (maxFrames <= 0 || fr.index() < maxFrames)) {
                bar.step(1);
                if (fr.index() % every != 0) continue;
                BufferedImage img = fr.image();
                List<FaceResult> found = detector.detectFaces(img);
                if (found.isEmpty()) {
                    counts.seen++;
                    counts.noFace++;
                }
                for (int i = 0; i < found.size(); i++) {
                    String name = String.format(Locale.ROOT, "video_%s_%05d_%d", stem, fr.index(), i);
                    if (judged.contains(name)) {
                        counts.skipped++;
                        continue;
                    }
                    counts.seen++;
                    record(name, file.toString(), img, found.get(i).landmarkBox(), null);
                }
                bar.status(String.format(Locale.ROOT, "kept %d", counts.kept));
            }
        }
    }

    private interface ImageSource {
        BufferedImage read() throws IOException;
    }

    private void judge(String name, String source, ImageSource image, Landmarks five) throws IOException {
        if (judged.contains(name)) {
            counts.skipped++;
            return;
        }
        counts.seen++;
        BufferedImage img;
        try {
            img = image.read();
        } catch (RuntimeException e) {
            counts.noFace++;
            row(name, source, false, "unreadable", Float.NaN, Double.NaN, Double.NaN);
            return;
        }
        Box box = nearest(detector.detectFaces(img), five);
        if (box == null) {
            counts.noFace++;
            row(name, source, false, "no face", Float.NaN, Double.NaN, Double.NaN);
            return;
        }
        record(name, source, img, box, five);
    }

    private void record(String name, String source, BufferedImage img, Box box, Landmarks five) throws IOException {
        PseudoLabeller.Label l = labeller.label(img, box, five);
        if (l.kept()) {
            counts.kept++;
            write(name, img, l.points());
        } else switch (l.rejected()) {
            case DISAGREE -> counts.disagree++;
            case SHAPE -> counts.shape++;
            case FIVE_POINTS -> counts.fivePoints++;
        }
        row(name, source, l.kept(), l.kept() ? "" : l.rejected().name().toLowerCase(Locale.ROOT), l.agreeingShare(), l.asmResidual(), l.fiveNme());
    }

    /** The detection whose landmark box holds the weak labels' centre, or the most confident without them. */
    static Box nearest(List<FaceResult> found, Landmarks five) {
        if (found.isEmpty()) return null;
        if (five == null) return found.get(0).landmarkBox();
        Box b = five.bounds();
        float cx = b.cx(), cy = b.cy();
        Box best = null;
        double bestD = Double.MAX_VALUE;
        for (FaceResult f : found) {
            Box lb = f.landmarkBox();
            double d = Math.hypot(lb.cx() - cx, lb.cy() - cy);
            if (d < bestD && d < 0.5 * Math.max(lb.w(), lb.h())) {
                best = lb;
                bestD = d;
            }
        }
        return best;
    }

    /** The face as the shared data is cut: twice the label's tight box, clamped, at most 320 px. */
    private void write(String name, BufferedImage img, Landmarks pts) throws IOException {
        Box t = pts.bounds();
        float side = 2 * Math.max(t.w(), t.h());
        int x0 = Math.max(0, Math.round(t.cx() - side / 2)), y0 = Math.max(0, Math.round(t.cy() - side / 2));
        int x1 = Math.min(img.getWidth(), Math.round(t.cx() + side / 2)), y1 = Math.min(img.getHeight(), Math.round(t.cy() + side / 2));
        double k = Math.min(1.0, 320.0 / Math.max(x1 - x0, y1 - y0));
        int w = Math.max(1, (int) Math.round((x1 - x0) * k)), h = Math.max(1, (int) Math.round((y1 - y0) * k));
        BufferedImage crop = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = crop.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, w, h, x0, y0, x1, y1, null);
        g.dispose();
        float[] xy = pts.toArray();
        for (int p = 0; p < xy.length / 2; p++) {
            xy[2 * p] = (float) ((xy[2 * p] - x0) * k);
            xy[2 * p + 1] = (float) ((xy[2 * p + 1] - y0) * k);
        }
        ImageIO.write(crop, "jpg", out.resolve(name + ".jpg").toFile());
        PtsFormat.write(out.resolve(name + ".pts"), new Landmarks(xy));
    }

    private void row(String name, String source, boolean kept, String reason, float agreeing, double residual, double five) throws IOException {
        judged.add(name);
        try (Writer w = Files.newBufferedWriter(out.resolve("labels.csv"), StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            w.write(String.format(Locale.ROOT, "%s,%s,%b,%s,%.3f,%.4f,%.4f%n", name, source.replace(',', '_'), kept, reason,
                    agreeing, residual, five));
        }
    }
}

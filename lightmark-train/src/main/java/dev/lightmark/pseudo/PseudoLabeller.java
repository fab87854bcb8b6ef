package dev.lightmark.pseudo;

import dev.lightmark.geometry.Box;
import dev.lightmark.image.Warp;
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.shape.ShapeModel;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns unlabelled faces into training faces: every teacher reads the face and its mirror, the
 * readings are averaged, and the face is kept only when they agree, when the shape model can
 * reproduce the result, and, where the face comes with weak labels (MTFL's eye centres, nose tip
 * and mouth corners), when those agree too. A face either passes whole or is dropped: the
 * regression trainers learn all 68 points of a face.
 */
public final class PseudoLabeller {
    /**
     * @param agreement    a point agrees when every reading is within this share of the inter-ocular
     *                     distance of the mean
     * @param minAgreeing  share of the 68 points that must agree
     * @param maxAsmResidual largest mean distance from the shape model's reconstruction, over the
     *                     inter-ocular distance
     * @param maxFiveNme   largest NME (inter-ocular) of the label's eye centres, nose tip and mouth
     *                     corners against the face's five weak labels, when it has them
     */
    public record Settings(float agreement, float minAgreeing, float maxAsmResidual, float maxFiveNme) {
        public static final Settings DEFAULT = new Settings(0.06f, 0.95f, 0.08f, 0.10f);

        public Settings {
            if (!(agreement > 0)) throw new IllegalArgumentException("agreement must be positive, not " + agreement);
            if (!(minAgreeing > 0 && minAgreeing <= 1)) throw new IllegalArgumentException("minAgreeing must be in (0, 1], not " + minAgreeing);
            if (!(maxAsmResidual > 0)) throw new IllegalArgumentException("maxAsmResidual must be positive, not " + maxAsmResidual);
            if (!(maxFiveNme > 0)) throw new IllegalArgumentException("maxFiveNme must be positive, not " + maxFiveNme);
        }
    }

    /** Why a face was dropped, or null when it was kept. */
    public enum Rejection { DISAGREE, SHAPE, FIVE_POINTS }

    /** The fused label (image pixels) and the measures it was judged by. */
    public record Label(Landmarks points, float agreeingShare, double asmResidual, double fiveNme, Rejection rejected) {
        public boolean kept() { return rejected == null; }
    }

    private static final LandmarkScheme S = LandmarkScheme.IBUG68;

    private final List<LandmarkPredictor> teachers;
    private final ShapeModel asm;
    private final Settings settings;

    /** Judges given readings only (tests). */
    PseudoLabeller(ShapeModel asm, Settings settings) {
        this.teachers = List.of();
        this.asm = asm;
        this.settings = settings;
    }

    public PseudoLabeller(List<LandmarkPredictor> teachers, ShapeModel asm, Settings settings) {
        if (teachers.isEmpty()) throw new IllegalArgumentException("no teacher");
        this.teachers = List.copyOf(teachers);
        this.asm = asm;
        this.settings = settings;
    }

    /** Labels the face in {@code box} (the tight landmark box); {@code five} are its weak labels or null. */
    public Label label(BufferedImage img, Box box, Landmarks five) {
        int w = img.getWidth(), h = img.getHeight();
        int[] px = Warp.pixels(img), mirroredPx = Warp.mirrored(px, w, h);
        Box mirroredBox = new Box(w - box.x() - box.w(), box.y(), box.w(), box.h());
        List<float[]> readings = new ArrayList<>();
        for (LandmarkPredictor t : teachers) {
            readings.add(t.predict(px, w, h, List.of(box), false).get(0).toArray());
            Landmarks m = t.predict(mirroredPx, w, h, List.of(mirroredBox), false).get(0);
            readings.add(m.mirrored(w, S).toArray());
        }
        return judge(readings, five);
    }

    /** The decision on given readings (each 68 points in image pixels, same frame). */
    Label judge(List<float[]> readings, Landmarks five) {
        int k = S.size();
        float[] mean = new float[2 * k];
        for (float[] r : readings) for (int j = 0; j < 2 * k; j++) mean[j] += r[j] / readings.size();
        Landmarks fused = new Landmarks(mean);
        float iod = fused.interOcular(S);
        int agreeing = 0;
        for (int p = 0; p < k; p++) {
            float worst = 0;
            for (float[] r : readings)
                worst = Math.max(worst, (float) Math.hypot(r[2 * p] - mean[2 * p], r[2 * p + 1] - mean[2 * p + 1]));
            if (worst <= settings.agreement() * iod) agreeing++;
        }
        float share = (float) agreeing / k;
        double residual = asm == null ? 0 : asm.residual(fused, S);
        double fiveNme = five == null ? Double.NaN : fiveNme(fused, five);
        Rejection why = share < settings.minAgreeing() ? Rejection.DISAGREE
                : residual > settings.maxAsmResidual() ? Rejection.SHAPE
                : five != null && !(fiveNme <= settings.maxFiveNme()) ? Rejection.FIVE_POINTS : null;
        return new Label(fused, share, residual, fiveNme, why);
    }

    /**
     * The five weak labels against the label's eye centres, nose tip and mouth corners, over the
     * weak labels' own eye distance. MTFL's order: left eye, right eye, nose, left and right mouth
     * corner, "left" as seen in the image.
     */
    static double fiveNme(Landmarks label, Landmarks five) {
        float[] re = label.centroid(range(36, 42)), le = label.centroid(range(42, 48));
        float[][] ours = {re, le, {label.x(30), label.y(30)}, {label.x(48), label.y(48)}, {label.x(54), label.y(54)}};
        double eyes = Math.hypot(five.x(0) - five.x(1), five.y(0) - five.y(1));
        double sum = 0;
        for (int i = 0; i < 5; i++) sum += Math.hypot(ours[i][0] - five.x(i), ours[i][1] - five.y(i));
        return sum / 5 / Math.max(1e-6, eyes);
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }
}

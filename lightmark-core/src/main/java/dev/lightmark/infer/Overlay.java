package dev.lightmark.infer;

import dev.lightmark.geometry.Box;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.quality.FaceQuality;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;

/** Draws faces onto a copy of an image: box, score and the 68 points joined by face contours. */
public final class Overlay {
    /** Contours of the iBUG 68 layout: [from, to, closed]. */
    private static final int[][] CONTOURS = {
            {0, 16, 0}, {17, 21, 0}, {22, 26, 0}, {27, 30, 0}, {31, 35, 0},
            {36, 41, 1}, {42, 47, 1}, {48, 59, 1}, {60, 67, 1}};

    private Overlay() {}

    /**
     * What to draw for one face: a box, a short label above it, and the points; with point
     * confidences (may be null), points under {@link FaceQuality#LOW_CONFIDENCE} are drawn as hollow
     * yellow rings; a doubtful face's box is grey and dashed.
     */
    public record Mark(Box box, String label, Landmarks points, float[] confidence, boolean doubtful) {
        public Mark(Box box, String label, Landmarks points) { this(box, label, points, null, false); }
    }

    /** Detector box, score (and predicted NME) and points of each face. */
    public static BufferedImage draw(BufferedImage src, List<FaceResult> faces) {
        return drawMarks(src, faces.stream().map(Overlay::mark).toList());
    }

    static Mark mark(FaceResult f) {
        FaceQuality q = f.quality();
        if (q == null) return new Mark(f.detectorBox(), String.format("%.2f", f.score()), f.landmarks());
        return new Mark(f.detectorBox(), String.format(java.util.Locale.ROOT, "%.2f  err~%.1f%%%s", f.score(),
                100 * q.predictedNme(), q.doubtful() ? " ?" : ""), f.landmarks(), q.confidence(), q.doubtful());
    }

    public static BufferedImage drawMarks(BufferedImage src, List<Mark> faces) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(src, 0, 0, null);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        float unit = Math.max(1f, Math.max(src.getWidth(), src.getHeight()) / 400f);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.round(11 * unit)));
        for (Mark f : faces) {
            Box b = f.box();
            g.setStroke(f.doubtful()
                    ? new BasicStroke(1.5f * unit, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{4 * unit, 3 * unit}, 0f)
                    : new BasicStroke(1.5f * unit));
            g.setColor(f.doubtful() ? new Color(160, 160, 160) : new Color(255, 200, 0));
            g.drawRect(Math.round(b.x()), Math.round(b.y()), Math.round(b.w()), Math.round(b.h()));
            g.drawString(f.label(), b.x(), b.y() - 3 * unit);
            drawPoints(g, f.points(), f.confidence(), unit);
        }
        g.dispose();
        return out;
    }

    static void drawPoints(Graphics2D g, Landmarks lm, float unit) { drawPoints(g, lm, null, unit); }

    static void drawPoints(Graphics2D g, Landmarks lm, float[] confidence, float unit) {
        if (lm.size() == 68) {
            g.setColor(new Color(0, 230, 120, 200));
            g.setStroke(new BasicStroke(unit));
            for (int[] c : CONTOURS) {
                Path2D.Float p = new Path2D.Float();
                p.moveTo(lm.x(c[0]), lm.y(c[0]));
                for (int i = c[0] + 1; i <= c[1]; i++) p.lineTo(lm.x(i), lm.y(i));
                if (c[2] == 1) p.closePath();
                g.draw(p);
            }
        }
        g.setColor(new Color(255, 40, 40));
        float r = 1.6f * unit;
        for (int i = 0; i < lm.size(); i++)
            if (confidence == null || confidence[i] >= FaceQuality.LOW_CONFIDENCE)
                g.fill(new Ellipse2D.Float(lm.x(i) - r, lm.y(i) - r, 2 * r, 2 * r));
        if (confidence == null) return;
        g.setColor(new Color(255, 235, 0));
        g.setStroke(new BasicStroke(unit));
        float rr = 2.4f * unit;
        for (int i = 0; i < lm.size(); i++)
            if (confidence[i] < FaceQuality.LOW_CONFIDENCE) g.draw(new Ellipse2D.Float(lm.x(i) - rr, lm.y(i) - rr, 2 * rr, 2 * rr));
    }
}

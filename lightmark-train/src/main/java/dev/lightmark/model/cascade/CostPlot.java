package dev.lightmark.model.cascade;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Accuracy against cost, as a PNG: NME (y, %) against mult-adds per face (x, millions). Series are
 * drawn as lines through their points (a cascade's stage counts, or its exit thresholds), single
 * models as labelled dots, and methods known only by their NME as dashed horizontal lines.
 */
public final class CostPlot {
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0x17becf),
            new Color(0xe377c2), new Color(0xbcbd22), new Color(0x7f7f7f)};

    public record Point(double multAdds, double nme, String label) {}

    private record Series(String name, List<Point> points, boolean line) {}

    private record Level(String name, double nme) {}

    private final List<Series> series = new ArrayList<>();
    private final List<Level> levels = new ArrayList<>();
    private String title = "NME vs mult-adds";
    private final int width = 900, height = 620;

    public CostPlot title(String t) { title = t; return this; }

    /** A line through points (sorted by cost). */
    public CostPlot line(String name, List<Point> points) {
        if (points.isEmpty()) throw new IllegalArgumentException("series '" + name + "' has no points");
        List<Point> p = new ArrayList<>(points);
        p.sort((a, b) -> Double.compare(a.multAdds(), b.multAdds()));
        series.add(new Series(name, p, true));
        return this;
    }

    /** Points without a line (e.g. early exit at several thresholds). */
    public CostPlot points(String name, List<Point> points) {
        if (points.isEmpty()) throw new IllegalArgumentException("series '" + name + "' has no points");
        series.add(new Series(name, List.copyOf(points), false));
        return this;
    }

    /** A method known only by its NME: dashed horizontal line. */
    public CostPlot level(String name, double nme) {
        levels.add(new Level(name, nme));
        return this;
    }

    public void write(Path png) throws IOException {
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        if (!ImageIO.write(render(), "png", png.toFile())) throw new IOException("no PNG writer available for " + png);
    }

    public BufferedImage render() {
        if (series.isEmpty()) throw new IllegalStateException("nothing to plot");
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            draw(g);
        } finally {
            g.dispose();
        }
        return img;
    }

    private void draw(Graphics2D g) {
        double xMax = 0, yMin = Double.MAX_VALUE, yMax = 0;
        for (Series s : series)
            for (Point p : s.points()) {
                xMax = Math.max(xMax, p.multAdds());
                yMin = Math.min(yMin, p.nme());
                yMax = Math.max(yMax, p.nme());
            }
        for (Level l : levels) { yMin = Math.min(yMin, l.nme()); yMax = Math.max(yMax, l.nme()); }
        double xHi = niceCeil(xMax * 1.08 / 1e6);
        double yLo = Math.max(0, Math.floor(yMin * 100 - 0.5)), yHi = Math.ceil(yMax * 100 + 0.5);
        int left = 80, right = 250, top = 50, bottom = 70;
        int pw = width - left - right, ph = height - top - bottom;
        java.util.function.DoubleUnaryOperator X = v -> left + v / 1e6 / xHi * pw;
        java.util.function.DoubleUnaryOperator Y = v -> top + ph - (v * 100 - yLo) / (yHi - yLo) * ph;

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.setColor(new Color(0xdddddd));
        g.setStroke(new BasicStroke(1f));
        double xStep = niceStep(xHi), yStep = niceStep(yHi - yLo);
        for (double v = 0; v <= xHi + 1e-9; v += xStep) {
            float x = (float) X.applyAsDouble(v * 1e6);
            g.setColor(new Color(0xdddddd));
            g.draw(new Line2D.Float(x, top, x, top + ph));
            g.setColor(Color.DARK_GRAY);
            String s = fmt(v);
            g.drawString(s, x - g.getFontMetrics().stringWidth(s) / 2f, top + ph + 18);
        }
        for (double v = yLo; v <= yHi + 1e-9; v += yStep) {
            float y = (float) Y.applyAsDouble(v / 100);
            g.setColor(new Color(0xdddddd));
            g.draw(new Line2D.Float(left, y, left + pw, y));
            g.setColor(Color.DARK_GRAY);
            String s = fmt(v);
            g.drawString(s, left - 8 - g.getFontMetrics().stringWidth(s), y + 5);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, pw, ph);
        g.drawString("mult-adds per face (millions)", left + pw / 2f - 90, height - 25);
        Graphics2D r = (Graphics2D) g.create();
        r.rotate(-Math.PI / 2);
        r.drawString("NME inter-ocular (%)", -(top + ph / 2f + 60), 25);
        r.dispose();
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, left, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

        int legendY = top + 10;
        for (int i = 0; i < levels.size(); i++) {
            Level l = levels.get(i);
            float y = (float) Y.applyAsDouble(l.nme());
            g.setColor(new Color(0x444444));
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    i % 2 == 0 ? new float[]{8f, 5f} : new float[]{2.5f, 4f}, 0f));
            g.draw(new Line2D.Float(left, y, left + pw, y));
            g.draw(new Line2D.Float(left + pw + 12, legendY, left + pw + 40, legendY));
            g.setStroke(new BasicStroke(1f));
            g.drawString(String.format(Locale.ROOT, "%s %.2f %%", l.name(), 100 * l.nme()), left + pw + 46, legendY + 4);
            legendY += 22;
        }
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            Color c = PALETTE[i % PALETTE.length];
            g.setColor(c);
            if (s.line() && s.points().size() > 1) {
                Path2D.Double path = new Path2D.Double();
                for (int j = 0; j < s.points().size(); j++) {
                    Point p = s.points().get(j);
                    double x = X.applyAsDouble(p.multAdds()), y = Y.applyAsDouble(p.nme());
                    if (j == 0) path.moveTo(x, y); else path.lineTo(x, y);
                }
                g.setStroke(new BasicStroke(2f));
                g.draw(path);
            }
            for (Point p : s.points()) {
                double x = X.applyAsDouble(p.multAdds()), y = Y.applyAsDouble(p.nme());
                if (s.line()) g.fill(new Ellipse2D.Double(x - 4, y - 4, 8, 8));
                else {
                    g.setStroke(new BasicStroke(2f));
                    g.draw(new Ellipse2D.Double(x - 5, y - 5, 10, 10));
                }
                // Line points are labelled above, loose points below, so two series near each other stay readable.
                if (p.label() != null && !p.label().isEmpty()) g.drawString(p.label(), (float) x + 7, (float) y + (s.line() ? -6 : 16));
            }
            g.fill(new Ellipse2D.Double(left + pw + 22, legendY - 4, 8, 8));
            g.drawString(s.name(), left + pw + 46, legendY + 4);
            legendY += 22;
        }
    }

    private static double niceStep(double range) {
        double raw = range / 6, mag = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / mag;
        return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
    }

    private static double niceCeil(double v) {
        double step = niceStep(v);
        return Math.ceil(v / step) * step;
    }

    private static String fmt(double v) {
        return Math.abs(v - Math.rint(v)) < 1e-9 ? String.valueOf((long) Math.rint(v)) : String.format(Locale.ROOT, "%.1f", v);
    }
}

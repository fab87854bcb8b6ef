package dev.lightmark.eval;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Draws cumulative error distribution (CED) curves, the usual landmark-benchmark figure, to a PNG:
 * for each model the share of faces (y) whose NME is at most x, for x from 0 to {@link #maxError}.
 * Each curve's legend entry shows its mean NME and AUC at the axis maximum. Methods known only by a
 * published mean NME can be drawn as dashed vertical markers.
 *
 * <pre>{@code
 * new CedPlot().maxError(0.10).add(report).addMarker("dlib ERT", 0.069).write(Path.of("ced.png"));
 * }</pre>
 */
public final class CedPlot {
    private static final Color[] PALETTE = {
            new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
            new Color(0xbcbd22), new Color(0x7f7f7f)};
    /** Markers are neutral greys told apart by dash pattern, so they never look like a curve. */
    private static final Color[] MARKER_COLORS = {new Color(0x222222), new Color(0x666666)};
    private static final float[][] MARKER_DASHES = {{8f, 5f}, {2.5f, 4f}, {12f, 4f, 2.5f, 4f}, {5f, 5f}};

    private record Curve(String name, EvalReport report) {}

    private record Marker(String name, double meanNme) {}

    private final List<Curve> curves = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();
    private int width = 800;
    private int height = 600;
    private double maxError = 0.10;
    private String title;
    private String xLabel;

    /** Right end of the x axis (default 0.10); AUCs in the legend are taken at this value. */
    public CedPlot maxError(double maxError) {
        if (!(maxError > 0) || !Double.isFinite(maxError))
            throw new IllegalArgumentException("maxError must be a positive number, got " + maxError);
        this.maxError = maxError;
        return this;
    }

    /** Image size in pixels (default 800 x 600). */
    public CedPlot size(int width, int height) {
        if (width < 300 || height < 200)
            throw new IllegalArgumentException("plot too small to be readable: " + width + "x" + height);
        this.width = width;
        this.height = height;
        return this;
    }

    /** Optional title drawn above the plot. */
    public CedPlot title(String title) {
        this.title = title;
        return this;
    }

    /** X-axis label; by default "NME (x)" with x the first report's normaliser, or inter-ocular. */
    public CedPlot xLabel(String xLabel) {
        this.xLabel = xLabel;
        return this;
    }

    /** Adds a curve named after the report. */
    public CedPlot add(EvalReport report) {
        return add(report.name(), report);
    }

    /** Adds a curve with its own legend name. */
    public CedPlot add(String name, EvalReport report) {
        curves.add(new Curve(Objects.requireNonNull(name, "name"), Objects.requireNonNull(report, "report")));
        return this;
    }

    /** Adds a curve from bare per-face errors. */
    public CedPlot addCurve(String name, double... errors) {
        return add(name, EvalReport.ofErrors(name, null, errors));
    }

    /**
     * Adds a dashed vertical line at a method's published mean NME, labelled
     * {@code "name @ mean NME"}. A value beyond the axis is listed in the legend only.
     */
    public CedPlot addMarker(String name, double meanNme) {
        if (!(meanNme >= 0) || !Double.isFinite(meanNme))
            throw new IllegalArgumentException("marker '" + name + "' has an invalid mean NME " + meanNme);
        markers.add(new Marker(Objects.requireNonNull(name, "name"), meanNme));
        return this;
    }

    /** Writes the plot as a PNG, creating parent folders as needed. */
    public void write(Path png) throws IOException {
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        if (!ImageIO.write(render(), "png", png.toFile()))
            throw new IOException("no PNG writer available for " + png);
    }

    /** Renders the plot. */
    public BufferedImage render() {
        if (curves.isEmpty() && markers.isEmpty())
            throw new IllegalStateException("nothing to plot: add a curve or a marker first");
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            draw(g);
        } finally {
            g.dispose();
        }
        return img;
    }

    private void draw(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);

        Font tickFont = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 17);
        Font legendFont = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

        FontMetrics mfm = g.getFontMetrics(legendFont);
        int left = 78, right = 28, top = title != null ? 52 : 26, bottom = 64;
        double pw = width - left - right;
        // marker labels sit above the plot frame, in as many rows as needed to keep them apart
        List<double[]> labelSpans = new ArrayList<>();
        int[] labelRow = new int[markers.size()];
        int rows = 0;
        for (int i = 0; i < markers.size(); i++) {
            Marker m = markers.get(i);
            if (m.meanNme() > maxError) { labelRow[i] = -1; continue; }
            double cx = left + m.meanNme() / maxError * pw, tw = mfm.stringWidth(m.name());
            double a = Math.max(4, Math.min(width - 4 - tw, cx - tw / 2)), b = a + tw;
            int row = 0;
            while (true) {
                boolean clash = false;
                for (int k = 0; k < labelSpans.size(); k++) {
                    double[] sp = labelSpans.get(k);
                    if ((int) sp[2] == row && a < sp[1] + 8 && sp[0] < b + 8) { clash = true; break; }
                }
                if (!clash) break;
                row++;
            }
            labelSpans.add(new double[]{a, b, row});
            labelRow[i] = row;
            rows = Math.max(rows, row + 1);
        }
        int rowH = mfm.getHeight() + 2;
        top += rows * rowH + (rows > 0 ? 4 : 0);
        double px0 = left, py0 = top, ph = height - top - bottom;
        Frame f = new Frame(px0, py0, pw, ph, maxError);

        // legend: inside the plot where it hides nothing, else in columns below the x-axis label
        Legend legend = new Legend(legendTexts(), mfm);
        double[] inside = legend.bestInside(f, false);
        double[] legendAt;
        int columns = Math.max(1, Math.min(legend.texts.size(),
                (int) ((width - 16 - 2 * Legend.PAD + Legend.COL_GAP) / (legend.entryW + Legend.COL_GAP))));
        int rowsBelow = (legend.texts.size() + columns - 1) / columns;
        double belowH = Legend.PAD * 2 + legend.row * rowsBelow - 4 + 8;
        boolean roomBelow = ph - belowH >= 0.6 * ph;
        if (inside == null && !roomBelow) inside = legend.bestInside(f, true);
        if (inside != null) {
            legendAt = inside;
        } else {
            legend.columns = columns;
            bottom += (int) Math.ceil(legend.height()) + 8;
            ph = height - top - bottom;
            f = new Frame(px0, py0, pw, ph, maxError);
            legendAt = new double[]{width / 2.0 - legend.width() / 2, py0 + ph + 58};
        }

        // grid and ticks
        double xStep = niceStep(maxError / 10);
        int xDecimals = Math.max(0, BigDecimal.valueOf(xStep).stripTrailingZeros().scale());
        g.setFont(tickFont);
        FontMetrics tfm = g.getFontMetrics();
        Stroke grid = new BasicStroke(1f);
        for (int k = 0; k * xStep <= maxError * (1 + 1e-9); k++) {
            double v = k * xStep;
            double x = f.x(v);
            g.setColor(new Color(0xE3E3E3));
            g.setStroke(grid);
            g.draw(new Line2D.Double(x, py0, x, py0 + ph));
            g.setColor(Color.DARK_GRAY);
            g.draw(new Line2D.Double(x, py0 + ph, x, py0 + ph + 5));
            String s = String.format(Locale.ROOT, "%." + xDecimals + "f", v);
            g.drawString(s, (float) (x - tfm.stringWidth(s) / 2.0), (float) (py0 + ph + 8 + tfm.getAscent()));
        }
        int yEvery = ph / 10 < 1.6 * tfm.getHeight() ? 2 : 1;
        for (int k = 0; k <= 10; k += yEvery) {
            double v = k / 10.0;
            double y = f.y(v);
            g.setColor(new Color(0xE3E3E3));
            g.setStroke(grid);
            g.draw(new Line2D.Double(px0, y, px0 + pw, y));
            g.setColor(Color.DARK_GRAY);
            g.draw(new Line2D.Double(px0 - 5, y, px0, y));
            String s = String.format(Locale.ROOT, "%.1f", v);
            g.drawString(s, (float) (px0 - 9 - tfm.stringWidth(s)), (float) (y + tfm.getAscent() / 2.0 - 2));
        }

        // axis labels and title
        g.setColor(Color.BLACK);
        g.setFont(labelFont);
        FontMetrics lfm = g.getFontMetrics();
        String xl = xLabel != null ? xLabel : defaultXLabel();
        g.drawString(xl, (float) (px0 + pw / 2 - lfm.stringWidth(xl) / 2.0), (float) (py0 + ph + 48));
        String yl = "Proportion of faces";
        AffineTransform saved = g.getTransform();
        g.translate(22, py0 + ph / 2 + lfm.stringWidth(yl) / 2.0);
        g.rotate(-Math.PI / 2);
        g.drawString(yl, 0, 0);
        g.setTransform(saved);
        if (title != null) {
            g.setFont(titleFont);
            FontMetrics fm = g.getFontMetrics();
            g.drawString(title, (float) (px0 + pw / 2 - fm.stringWidth(title) / 2.0), 32f);
        }

        // curves and markers, clipped to the plot area (widened so thick lines at 0 and 1 stay whole)
        Shape oldClip = g.getClip();
        g.clip(new Rectangle2D.Double(px0 - 2, py0 - 2, pw + 4, ph + 4));
        for (int i = 0; i < markers.size(); i++) {
            Marker m = markers.get(i);
            if (m.meanNme() > maxError) continue;
            g.setColor(markerColor(i));
            g.setStroke(dashed(i));
            double x = f.x(m.meanNme());
            g.draw(new Line2D.Double(x, py0, x, py0 + ph));
        }
        g.setStroke(new BasicStroke(2.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
        for (int i = 0; i < curves.size(); i++) {
            g.setColor(PALETTE[i % PALETTE.length]);
            g.draw(stepPath(curves.get(i).report().sortedErrors(), f));
        }
        g.setClip(oldClip);

        // marker labels above the frame, centred on their lines
        g.setFont(legendFont);
        int span = 0;
        for (int i = 0; i < markers.size(); i++) {
            if (labelRow[i] < 0) continue;
            double[] sp = labelSpans.get(span++);
            double baseline = py0 - 6 - (rows - 1 - labelRow[i]) * rowH - mfm.getDescent();
            g.setColor(markerColor(i));
            g.drawString(markers.get(i).name(), (float) sp[0], (float) baseline);
        }

        // plot frame
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1.2f));
        g.draw(new Rectangle2D.Double(px0, py0, pw, ph));

        legend.draw(g, legendFont, legendAt[0], legendAt[1]);
    }

    private List<String> legendTexts() {
        List<String> texts = new ArrayList<>();
        String aucName = "AUC@" + trim(maxError);
        for (Curve c : curves) {
            EvalReport r = c.report();
            texts.add(String.format(Locale.ROOT, "%s (NME %.2f%%, %s %.1f%%)",
                    c.name(), 100 * r.meanNme(), aucName, 100 * r.auc(maxError)));
        }
        for (Marker m : markers) {
            texts.add(String.format(Locale.ROOT, "%s @ NME %.2f%%%s", m.name(), 100 * m.meanNme(),
                    m.meanNme() > maxError ? " (off axis)" : ""));
        }
        return texts;
    }

    /** Legend entries (curves first, then markers) laid out in one or more columns. */
    private final class Legend {
        static final int SAMPLE = 34, GAP = 8, PAD = 10, COL_GAP = 22;
        final List<String> texts;
        final FontMetrics fm;
        final double entryW;
        final int row;
        int columns = 1;

        Legend(List<String> texts, FontMetrics fm) {
            this.texts = texts;
            this.fm = fm;
            this.entryW = SAMPLE + GAP + texts.stream().mapToInt(fm::stringWidth).max().orElse(0);
            this.row = fm.getHeight() + 4;
        }

        int rows() { return (texts.size() + columns - 1) / columns; }
        double width() { return PAD + columns * entryW + (columns - 1) * COL_GAP + PAD; }
        double height() { return PAD + row * rows() - 4 + PAD; }

        /**
         * Top-left corner of a spot inside the plot that covers no curve (preferably no marker line
         * either), or null; with {@code leastBad} the spot covering the fewest curve pixels instead.
         */
        double[] bestInside(Frame f, boolean leastBad) {
            double w = width(), h = height();
            if (w > f.pw - 24 || h > f.ph - 24) return leastBad ? new double[]{f.px0 + f.pw - w - 4, f.py0 + f.ph - h - 4} : null;
            double[][] corners = {
                    {f.px0 + f.pw - w - 12, f.py0 + f.ph - h - 12},   // lower right: usually empty for CEDs
                    {f.px0 + 12, f.py0 + 12},                          // upper left
                    {f.px0 + f.pw - w - 12, f.py0 + f.ph / 2 - h / 2}, // middle right
                    {f.px0 + 12, f.py0 + f.ph / 2 - h / 2}};           // middle left
            for (double[] c : corners) if (overlap(f, c[0], c[1], w, h, true) == 0) return c;
            // covering part of a dashed marker line is acceptable; covering a curve is not
            for (double[] c : corners) if (overlap(f, c[0], c[1], w, h, false) == 0) return c;
            double[] best = corners[0];
            int bestHits = Integer.MAX_VALUE;
            for (double[] c : corners) {
                int hits = overlap(f, c[0], c[1], w, h, false);
                if (hits < bestHits) { bestHits = hits; best = c; }
            }
            for (double y = f.py0 + 12; y + h <= f.py0 + f.ph - 12; y += 8)
                for (double x = f.px0 + 12; x + w <= f.px0 + f.pw - 12; x += 8) {
                    int hits = overlap(f, x, y, w, h, false);
                    if (hits == 0) return new double[]{x, y};
                    if (hits < bestHits) { bestHits = hits; best = new double[]{x, y}; }
                }
            return leastBad ? best : null;
        }

        void draw(Graphics2D g, Font font, double x0, double y0) {
            double w = width(), h = height();
            g.setFont(font);
            g.setColor(new Color(255, 255, 255, 225));
            g.fill(new Rectangle2D.Double(x0, y0, w, h));
            g.setColor(new Color(0xB0B0B0));
            g.setStroke(new BasicStroke(1f));
            g.draw(new Rectangle2D.Double(x0, y0, w, h));
            int rows = rows();
            for (int i = 0; i < texts.size(); i++) {
                double ex = x0 + PAD + (i / rows) * (entryW + COL_GAP);
                double cy = y0 + PAD + (i % rows) * row + fm.getHeight() / 2.0;
                boolean isMarker = i >= curves.size();
                if (isMarker) {
                    g.setColor(markerColor(i - curves.size()));
                    g.setStroke(dashed(i - curves.size()));
                } else {
                    g.setColor(PALETTE[i % PALETTE.length]);
                    g.setStroke(new BasicStroke(2.4f));
                }
                g.draw(new Line2D.Double(ex, cy, ex + SAMPLE, cy));
                g.setColor(Color.BLACK);
                g.drawString(texts.get(i), (float) (ex + SAMPLE + GAP), (float) (cy + fm.getAscent() / 2.0 - 2));
            }
        }
    }

    /**
     * How badly a legend at this rectangle would hide the data: pixel columns where a curve passes
     * through it (the CED is monotone, so checking its level per column suffices) plus (if asked) the
     * length of any marker line crossing it.
     */
    private int overlap(Frame f, double rx, double ry, double rw, double rh, boolean withMarkers) {
        int hits = 0;
        for (Marker m : markers) {
            if (!withMarkers || m.meanNme() > maxError) continue;
            double x = f.x(m.meanNme());
            if (x >= rx - 3 && x <= rx + rw + 3) hits += (int) (rh / 2);
        }
        for (Curve c : curves) {
            for (double x = rx; x <= rx + rw; x += 2) {
                double y = f.y(c.report().ced((x - f.px0) / f.pw * maxError));
                if (y >= ry - 3 && y <= ry + rh + 3) hits++;
            }
        }
        return hits;
    }

    private String defaultXLabel() {
        for (Curve c : curves)
            if (c.report().normalizer() != null) return "NME (" + c.report().normalizer().label() + ")";
        return "NME (inter-ocular)";
    }

    /** The CED as an exact staircase: flat between errors, a vertical rise of 1/N at each error. */
    private Path2D stepPath(double[] sorted, Frame f) {
        int n = sorted.length;
        Path2D p = new Path2D.Double();
        int i = 0;
        while (i < n && sorted[i] <= 0) i++;
        double level = i / (double) n;
        p.moveTo(f.x(0), f.y(level));
        while (i < n && sorted[i] <= maxError) {
            double e = sorted[i];
            while (i < n && sorted[i] == e) i++;
            p.lineTo(f.x(e), f.y(level));
            level = i / (double) n;
            p.lineTo(f.x(e), f.y(level));
        }
        p.lineTo(f.x(maxError), f.y(level));
        return p;
    }

    private static Stroke dashed(int i) {
        return new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                MARKER_DASHES[i % MARKER_DASHES.length], 0f);
    }

    private static Color markerColor(int i) { return MARKER_COLORS[i % MARKER_COLORS.length]; }

    /** 1, 2, 2.5 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[]{1, 2, 2.5, 5, 10}) {
            double s = BigDecimal.valueOf(m * p).round(new java.math.MathContext(6)).doubleValue();
            if (s >= raw * (1 - 1e-9)) return s;
        }
        return 10 * p;
    }

    private static String trim(double v) {
        String s = BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        return s.contains(".") && s.length() - s.indexOf('.') == 2 ? s + "0" : s;
    }

    /** Data-to-pixel mapping of the plot area. */
    private record Frame(double px0, double py0, double pw, double ph, double maxX) {
        double x(double v) { return px0 + v / maxX * pw; }
        double y(double v) { return py0 + (1 - v) * ph; }
    }

    @Override public String toString() {
        return "CedPlot[" + curves.size() + " curves, " + markers.size() + " markers, max " + maxError + ", "
                + width + "x" + height + "]" + (title != null ? " " + title : "");
    }
}

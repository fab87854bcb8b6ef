package dev.lightmark.eval;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Draws cumulative error distribution (CED) curves, the usual landmark-benchmark figure, to a PNG
 * (drawn by XChart): for each model the share of faces (y) whose NME is at most x, for x from 0 to
 * {@link #maxError}. Each curve's legend entry shows its mean NME and AUC at the axis maximum.
 * Methods known only by a published mean NME are dashed grey vertical markers.
 *
 * <pre>{@code
 * new CedPlot().maxError(0.10).add(report).addMarker("dlib ERT", 0.069).write(Path.of("ced.png"));
 * }</pre>
 */
public final class CedPlot {
    /** Ten colours, so up to ten curves never share one. */
    static final Color[] PALETTE = {
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
    public CedPlot add(EvalReport report) { return add(report.name(), report); }

    /** Adds a curve with its own legend name. */
    public CedPlot add(String name, EvalReport report) {
        curves.add(new Curve(Objects.requireNonNull(name, "name"), Objects.requireNonNull(report, "report")));
        return this;
    }

    /** Adds a curve from bare per-face errors. */
    public CedPlot addCurve(String name, double... errors) { return add(name, EvalReport.ofErrors(name, null, errors)); }

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
        BitmapEncoder.saveBitmap(chart(), png.toString().replaceFirst("(?i)\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Renders the plot. */
    public BufferedImage render() { return BitmapEncoder.getBufferedImage(chart()); }

    /** The legend entries, curves first ("name (NME m%, AUC@x a%)"), then markers ("name @ m%"). */
    public List<String> legend() {
        List<String> texts = new ArrayList<>();
        for (Curve c : curves)
            texts.add(String.format(Locale.ROOT, "%s (NME %.2f%%, AUC@%s %.1f%%)",
                    c.name(), 100 * c.report().meanNme(), trim(maxError), 100 * c.report().auc(maxError)));
        for (Marker m : markers)
            texts.add(String.format(Locale.ROOT, "%s @ %.2f%%%s", m.name(), 100 * m.meanNme(), m.meanNme() > maxError ? " (off axis)" : ""));
        return texts;
    }

    /**
     * The CED curve of sorted errors as a step function on [0, maxError]: x values and the share
     * of faces with error at most x; one point before and after each face's error.
     */
    static double[][] steps(double[] sorted, double maxError) {
        List<double[]> pts = new ArrayList<>();
        pts.add(new double[]{0, 0});
        int n = sorted.length;
        for (int i = 0; i < n && sorted[i] <= maxError; i++) {
            if (i + 1 < n && sorted[i + 1] == sorted[i]) continue;   // one step per distinct error
            double before = pts.get(pts.size() - 1)[1];
            pts.add(new double[]{sorted[i], before});
            pts.add(new double[]{sorted[i], (double) (i + 1) / n});
        }
        pts.add(new double[]{maxError, pts.get(pts.size() - 1)[1]});
        double[][] xy = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            xy[0][i] = pts.get(i)[0];
            xy[1][i] = pts.get(i)[1];
        }
        return xy;
    }

    private XYChart chart() {
        if (curves.isEmpty() && markers.isEmpty())
            throw new IllegalStateException("nothing to plot: add a curve or a marker first");
        String x = xLabel != null ? xLabel : "NME (" + (curves.isEmpty() || curves.get(0).report().normalizer() == null
                ? "inter-ocular" : curves.get(0).report().normalizer().label()) + ")";
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title == null ? "" : title)
                .xAxisTitle(x).yAxisTitle("share of faces").build();
        Styler st = chart.getStyler();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(0xdddddd));
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(maxError);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setXAxisDecimalPattern(maxError >= 0.1 ? "0.00" : "0.000");
        chart.getStyler().setYAxisDecimalPattern("0%");
        chart.getStyler().setToolTipsEnabled(false);
        st.setChartTitleVisible(title != null);
        List<String> legend = legend();
        for (int i = 0; i < curves.size(); i++) {
            double[][] xy = steps(curves.get(i).report().sortedErrors(), maxError);
            XYSeries s = chart.addSeries(legend.get(i), xy[0], xy[1]);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(PALETTE[i % PALETTE.length]);
            s.setLineStyle(new BasicStroke(2f));
        }
        for (int j = 0; j < markers.size(); j++) {
            Marker m = markers.get(j);
            double at = Math.min(m.meanNme(), maxError);
            XYSeries s = chart.addSeries(legend.get(curves.size() + j), new double[]{at, at},
                    m.meanNme() > maxError ? new double[]{Double.NaN, Double.NaN} : new double[]{0, 1});
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(MARKER_COLORS[j % MARKER_COLORS.length]);
            s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    MARKER_DASHES[j % MARKER_DASHES.length], 0f));
        }
        if (curves.isEmpty()) chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        return chart;
    }

    private static String trim(double v) {
        return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    @Override
    public String toString() { return "CedPlot" + legend(); }
}

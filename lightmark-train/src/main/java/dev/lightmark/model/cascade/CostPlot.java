package dev.lightmark.model.cascade;

import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Accuracy against cost, as a PNG: NME (y, %) against mult-adds per face (x, millions), drawn by XChart. Series are
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
        BitmapEncoder.saveBitmap(chart(), png.toString().replaceFirst("(?i)\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
    }

    public BufferedImage render() { return BitmapEncoder.getBufferedImage(chart()); }

    private XYChart chart() {
        if (series.isEmpty()) throw new IllegalStateException("nothing to plot");
        XYChart c = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle("mult-adds per face (millions)").yAxisTitle("NME inter-ocular (%)").build();
        Styler st = c.getStyler();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotBackgroundColor(Color.WHITE);
        c.getStyler().setPlotGridLinesColor(new Color(0xdddddd));
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setXAxisMin(0.0);
        c.getStyler().setToolTipsEnabled(false);
        c.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        double xMax = 0;
        for (Series s : series) for (Point p : s.points()) xMax = Math.max(xMax, p.multAdds() / 1e6);
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            double[] x = s.points().stream().mapToDouble(p -> p.multAdds() / 1e6).toArray();
            double[] y = s.points().stream().mapToDouble(p -> 100 * p.nme()).toArray();
            XYSeries xy = c.addSeries(s.name(), x, y);
            xy.setLineColor(PALETTE[i % PALETTE.length]);
            xy.setMarkerColor(PALETTE[i % PALETTE.length]);
            xy.setMarker(SeriesMarkers.CIRCLE);
            xy.setXYSeriesRenderStyle(s.line() ? XYSeries.XYSeriesRenderStyle.Line : XYSeries.XYSeriesRenderStyle.Scatter);
            xy.setLineStyle(new BasicStroke(2f));
            // Line points are labelled above, loose points below, so two series near each other stay readable.
            for (Point p : s.points())
                if (p.label() != null && !p.label().isEmpty())
                    c.addAnnotation(new AnnotationText(p.label(), p.multAdds() / 1e6, 100 * p.nme() + (s.line() ? 0.12 : -0.12), false));
        }
        for (int j = 0; j < levels.size(); j++) {
            Level l = levels.get(j);
            XYSeries xy = c.addSeries(String.format(Locale.ROOT, "%s %.2f %%", l.name(), 100 * l.nme()),
                    new double[]{0, xMax * 1.08}, new double[]{100 * l.nme(), 100 * l.nme()});
            xy.setMarker(SeriesMarkers.NONE);
            xy.setLineColor(j % 2 == 0 ? new Color(0x222222) : new Color(0x666666));
            xy.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{8f, 5f}, 0f));
        }
        return c;
    }
}

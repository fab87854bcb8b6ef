package dev.lightmark.eval;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Calibration plot of the predicted NME (XChart, PNG): one dot per face (true against predicted
 * NME, log axes, coloured by the ground truth's head-turn bucket), the mean true NME of each tenth
 * of the faces ordered by predicted NME, the diagonal of perfect calibration and the 0.10 failure line.
 */
public final class CalibrationPlot {
    private static final double LO = 0.01, HI = 0.5;
    private static final Color[] BUCKET_COLOURS = {
            new Color(31, 119, 180, 90), new Color(44, 160, 44, 110), new Color(255, 127, 14, 140), new Color(214, 39, 40, 170)};

    private CalibrationPlot() {}

    public static void write(Path png, String title, TrustReport report) throws IOException {
        XYChart c = new XYChartBuilder().width(820).height(640).title(title)
                .xAxisTitle("predicted NME (the model's own estimate)").yAxisTitle("true NME (inter-ocular)").build();
        Styler s = c.getStyler();
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setXAxisMin(LO);
        c.getStyler().setXAxisMax(HI);
        c.getStyler().setYAxisMin(LO);
        c.getStyler().setYAxisMax(HI);
        c.getStyler().setMarkerSize(5);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotBackgroundColor(Color.WHITE);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        c.getStyler().setAntiAlias(true);
        s.setToolTipsEnabled(false);

        List<TrustReport.Face> faces = report.faces();
        List<TrustReport.Bucket> buckets = report.buckets();
        for (int b = 0; b < buckets.size(); b++) {
            TrustReport.Bucket bk = buckets.get(b);
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            for (TrustReport.Face f : faces) {
                double yaw = Math.abs(f.truePose().yaw());
                if (yaw >= bk.from() && yaw < bk.to()) {
                    x.add(clip(f.predictedNme()));
                    y.add(clip(f.nme()));
                }
            }
            if (x.isEmpty()) continue;
            XYSeries ser = c.addSeries("faces, " + bk.label() + " (" + x.size() + ")", x, y);
            ser.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            ser.setMarker(SeriesMarkers.CIRCLE);
            ser.setMarkerColor(BUCKET_COLOURS[Math.min(b, BUCKET_COLOURS.length - 1)]);
        }
        double[][] bins = tenths(faces);
        XYSeries mean = c.addSeries("mean true NME per tenth of faces", bins[0], bins[1]);
        mean.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        mean.setMarker(SeriesMarkers.DIAMOND);
        mean.setMarkerColor(Color.BLACK);
        mean.setLineColor(Color.BLACK);
        mean.setLineStyle(new BasicStroke(2f));
        XYSeries diag = c.addSeries("perfect calibration", new double[]{LO, HI}, new double[]{LO, HI});
        diag.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        diag.setMarker(SeriesMarkers.NONE);
        diag.setLineColor(Color.GRAY);
        diag.setLineStyle(SeriesLines.DASH_DASH);
        XYSeries fail = c.addSeries("failure (NME 0.10)", new double[]{LO, HI}, new double[]{EvalReport.T10, EvalReport.T10});
        fail.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        fail.setMarker(SeriesMarkers.NONE);
        fail.setLineColor(new Color(200, 0, 0));
        fail.setLineStyle(SeriesLines.DOT_DOT);
        c.setTitle(title + String.format(java.util.Locale.ROOT, "  (Spearman %.2f, failure AUC %.2f)",
                report.spearman(), report.failureAuc(EvalReport.T10)));
        if (!ImageIO.write(BitmapEncoder.getBufferedImage(c), "png", png.toFile()))
            throw new IOException("no PNG writer available");
    }

    /** Mean predicted and mean true NME of each tenth of the faces, ordered by predicted NME. */
    static double[][] tenths(List<TrustReport.Face> faces) {
        TrustReport.Face[] sorted = faces.toArray(new TrustReport.Face[0]);
        Arrays.sort(sorted, (a, b) -> Double.compare(a.predictedNme(), b.predictedNme()));
        int bins = Math.min(10, sorted.length);
        double[] x = new double[bins], y = new double[bins];
        for (int b = 0; b < bins; b++) {
            int from = b * sorted.length / bins, to = (b + 1) * sorted.length / bins;
            for (int i = from; i < to; i++) {
                x[b] += sorted[i].predictedNme();
                y[b] += sorted[i].nme();
            }
            x[b] = clip(x[b] / (to - from));
            y[b] = clip(y[b] / (to - from));
        }
        return new double[][]{x, y};
    }

    private static double clip(double v) { return Math.max(LO, Math.min(HI, v)); }
}

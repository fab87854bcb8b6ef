package dev.lightmark.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lightmark.data.FaceSample;
import dev.lightmark.infer.FacePrediction;
import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.quality.FacePose;
import dev.lightmark.quality.FaceQuality;
import dev.lightmark.quality.QualityFit;
import dev.lightmark.quality.Ranking;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How far the model's own quality estimates can be trusted on annotated faces, and how accuracy
 * falls with head turn:
 * <ul>
 *   <li>predicted vs true NME: Spearman rank correlation, and ROC AUC of flagging failures (true
 *       NME above 0.10) by the predicted NME;</li>
 *   <li>per-point confidence: ROC AUC of telling points within 10 % of the inter-ocular distance
 *       from the others, and mean confidence vs the observed share;</li>
 *   <li>pose fitted from the predicted points vs pose fitted from the ground-truth points: mean
 *       absolute yaw, pitch and roll error in degrees;</li>
 *   <li>NME and FR@0.10 per head-turn bucket, the yaw taken from the ground-truth points.</li>
 * </ul>
 */
public final class TrustReport {
    /** Upper bounds of the |yaw| buckets in degrees (the last bucket is open). */
    public static final double[] YAW_EDGES = {15, 30, 45};

    /** One evaluated face. */
    public record Face(String id, double nme, double predictedNme, FacePose truePose, FacePose predictedPose,
                       double[] pointError, float[] confidence) {}

    /** Faces whose ground-truth |yaw| lies in [from, to). */
    public record Bucket(String label, double from, double to, int count, double meanNme, double failureRate,
                         double meanPredictedNme, double yawError) {}

    private final List<Face> faces;

    private TrustReport(List<Face> faces) {
        if (faces.isEmpty()) throw new IllegalArgumentException("no evaluated faces");
        this.faces = List.copyOf(faces);
    }

    /** {@code predictions} follow {@code samples}; a null entry (face not evaluated) is left out. */
    public static TrustReport of(List<FaceSample> samples, List<FacePrediction> predictions) {
        if (samples.size() != predictions.size()) throw new IllegalArgumentException("samples and predictions differ in number");
        List<Face> faces = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            FacePrediction p = predictions.get(i);
            if (p == null || p.quality() == null) continue;
            faces.add(face(samples.get(i).name(), samples.get(i).landmarks(), p.points(), p.quality()));
        }
        return new TrustReport(faces);
    }

    /** One face from its ground truth, predicted points and their quality. */
    public static Face face(String id, Landmarks truth, Landmarks predicted, FaceQuality q) {
        LandmarkScheme scheme = LandmarkScheme.forSize(truth.size());
        double iod = Normalizer.INTER_OCULAR.distance(truth, scheme);
        double[] pe = new double[truth.size()];
        for (int j = 0; j < pe.length; j++)
            pe[j] = Math.hypot(predicted.x(j) - truth.x(j), predicted.y(j) - truth.y(j)) / iod;
        return new Face(id, Nme.of(predicted, truth, scheme, Normalizer.INTER_OCULAR), q.predictedNme(),
                FacePose.of(truth), q.pose(), pe, q.confidence());
    }

    public static TrustReport ofFaces(List<Face> faces) { return new TrustReport(faces); }

    public List<Face> faces() { return faces; }

    public double[] trueNmes() { return faces.stream().mapToDouble(Face::nme).toArray(); }

    public double[] predictedNmes() { return faces.stream().mapToDouble(Face::predictedNme).toArray(); }

    /** Spearman correlation of predicted and true NME. */
    public double spearman() { return Ranking.spearman(predictedNmes(), trueNmes()); }

    /** ROC AUC of the predicted NME for finding faces whose true NME is above {@code threshold}; NaN without such faces. */
    public double failureAuc(double threshold) {
        boolean[] fail = new boolean[faces.size()];
        for (int i = 0; i < fail.length; i++) fail[i] = faces.get(i).nme() > threshold;
        return Ranking.rocAuc(predictedNmes(), fail);
    }

    /** ROC AUC of point confidence for telling points within {@link QualityFit#POINT_THRESHOLD} from the others. */
    public double pointAuc() {
        int n = 0;
        for (Face f : faces) n += f.pointError().length;
        double[] c = new double[n];
        boolean[] good = new boolean[n];
        int i = 0;
        for (Face f : faces)
            for (int j = 0; j < f.pointError().length; j++, i++) {
                c[i] = f.confidence()[j];
                good[i] = f.pointError()[j] <= QualityFit.POINT_THRESHOLD;
            }
        return Ranking.rocAuc(c, good);
    }

    /** {mean confidence, observed share of points within the threshold}. */
    public double[] pointCalibration() {
        double sc = 0, sg = 0;
        long n = 0;
        for (Face f : faces)
            for (int j = 0; j < f.pointError().length; j++, n++) {
                sc += f.confidence()[j];
                sg += f.pointError()[j] <= QualityFit.POINT_THRESHOLD ? 1 : 0;
            }
        return new double[]{sc / n, sg / n};
    }

    /** Mean absolute {yaw, pitch, roll} error of the predicted points' pose against the ground truth's, degrees. */
    public double[] poseError() { return poseError(faces); }

    private static double[] poseError(List<Face> fs) {
        double[] e = new double[3];
        for (Face f : fs) {
            e[0] += FacePose.angleError(f.predictedPose().yaw(), f.truePose().yaw());
            e[1] += FacePose.angleError(f.predictedPose().pitch(), f.truePose().pitch());
            e[2] += FacePose.angleError(f.predictedPose().roll(), f.truePose().roll());
        }
        for (int k = 0; k < 3; k++) e[k] /= Math.max(1, fs.size());
        return e;
    }

    /** The head-turn buckets (|yaw| from the ground-truth points), empty ones included. */
    public List<Bucket> buckets() {
        List<Bucket> out = new ArrayList<>();
        for (int b = 0; b <= YAW_EDGES.length; b++) {
            double from = b == 0 ? 0 : YAW_EDGES[b - 1], to = b == YAW_EDGES.length ? Double.POSITIVE_INFINITY : YAW_EDGES[b];
            List<Face> in = new ArrayList<>();
            for (Face f : faces) {
                double y = Math.abs(f.truePose().yaw());
                if (y >= from && y < to) in.add(f);
            }
            String label = b == 0 ? String.format(Locale.ROOT, "|yaw| < %.0f", to)
                    : b == YAW_EDGES.length ? String.format(Locale.ROOT, "|yaw| >= %.0f", from)
                    : String.format(Locale.ROOT, "%.0f-%.0f", from, to);
            double nme = 0, pred = 0;
            int fail = 0;
            for (Face f : in) {
                nme += f.nme();
                pred += f.predictedNme();
                if (f.nme() > EvalReport.T10) fail++;
            }
            int n = in.size();
            out.add(new Bucket(label, from, to, n, n == 0 ? Double.NaN : nme / n, n == 0 ? Double.NaN : fail / (double) n,
                    n == 0 ? Double.NaN : pred / n, n == 0 ? Double.NaN : poseError(in)[0]));
        }
        return out;
    }

    /** Console lines: the estimate's quality, then one line per head-turn bucket. */
    public List<String> lines() {
        List<String> l = new ArrayList<>();
        double[] pe = poseError(), pc = pointCalibration();
        l.add(String.format(Locale.ROOT, "predicted NME: Spearman %.3f with true NME, failure (NME > 0.10) AUC %s, mean predicted %.2f%% vs true %.2f%%",
                spearman(), fmt(failureAuc(EvalReport.T10)), 100 * mean(predictedNmes()), 100 * mean(trueNmes())));
        l.add(String.format(Locale.ROOT, "point confidence: AUC %s for points within 0.10 IOD, mean confidence %.3f vs observed %.3f",
                fmt(pointAuc()), pc[0], pc[1]));
        l.add(String.format(Locale.ROOT, "pose from predicted points vs from ground truth: mean abs error yaw %.1f, pitch %.1f, roll %.1f deg",
                pe[0], pe[1], pe[2]));
        l.add("head turn (|yaw| of the ground-truth points):");
        for (Bucket b : buckets())
            l.add(b.count() == 0 ? String.format(Locale.ROOT, "  %-12s   0 faces", b.label())
                    : String.format(Locale.ROOT, "  %-12s %4d faces  NME %.2f%%  FR@0.10 %.1f%%  predicted NME %.2f%%  yaw error %.1f deg",
                    b.label(), b.count(), 100 * b.meanNme(), 100 * b.failureRate(), 100 * b.meanPredictedNme(), b.yawError()));
        return l;
    }

    public ObjectNode toJsonNode() {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("faces", faces.size());
        o.put("spearman", spearman());
        putNumber(o, "failureAuc", failureAuc(EvalReport.T10));
        o.put("meanPredictedNme", mean(predictedNmes()));
        o.put("meanNme", mean(trueNmes()));
        putNumber(o, "pointConfidenceAuc", pointAuc());
        double[] pc = pointCalibration();
        o.put("meanPointConfidence", pc[0]);
        o.put("pointsWithin010", pc[1]);
        double[] pe = poseError();
        ObjectNode pose = o.putObject("poseError");
        pose.put("yaw", pe[0]);
        pose.put("pitch", pe[1]);
        pose.put("roll", pe[2]);
        ArrayNode arr = o.putArray("yawBuckets");
        for (Bucket b : buckets()) {
            ObjectNode x = arr.addObject();
            x.put("label", b.label());
            x.put("from", b.from());
            if (Double.isFinite(b.to())) x.put("to", b.to()); else x.putNull("to");
            x.put("count", b.count());
            putNumber(x, "meanNme", b.meanNme());
            putNumber(x, "failureRate010", b.failureRate());
            putNumber(x, "meanPredictedNme", b.meanPredictedNme());
            putNumber(x, "yawError", b.yawError());
        }
        return o;
    }

    private static void putNumber(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) o.put(k, v); else o.putNull(k);
    }

    private static String fmt(double v) { return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "n/a"; }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return v.length == 0 ? Double.NaN : s / v.length;
    }
}

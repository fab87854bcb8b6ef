package dev.lightmark.quality;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lightmark.landmarks.Landmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns {@link QualitySignals} into a {@link FaceQuality}: a face error model (log NME as a linear
 * function of the face features, back to NME with a fitted bias) and a per-point logistic model
 * (the probability that a point is within 10 % of the inter-ocular distance of the truth, from a
 * per-point intercept, the point's flip disagreement and the face's predicted NME). One parameter
 * set for the flip test and one for a single pass. Fitted by {@link QualityFit} on validation faces;
 * saved as a small JSON file next to the model ({@code NAME.quality.json}).
 *
 * <p>Fixed rules cover what no validation face shows: a crop under {@link #tinyCropPixels} pixels
 * (a face of about 32 pixels) gets its predicted NME raised and its confidences lowered in
 * proportion; a crop partly outside the image raises the predicted NME; a point outside the image
 * gets a confidence of at most {@link #outsideImageConfidence}.
 */
public final class QualityModel {
    /** One mode's parameters (flip test on or off). */
    public static final class Params {
        /** Weights of {@link QualitySignals#faceFeatures(boolean)} (constant first) for log NME. */
        public double[] face;
        /** Added to the linear prediction before exp, so the mean predicted NME matches the mean NME. */
        public double bias;
        /** Per-point logistic intercepts. */
        public double[] pointIntercept;
        /** Logistic weight of the point's log flip disagreement (flip mode only). */
        public double pointDisagreement;
        /** Logistic weight of the face's log predicted NME. */
        public double pointFace;
    }

    public int version = 1;
    /** What the parameters were fitted on (faces, folders, model). */
    public String fittedOn = "";
    public Params flip;
    public Params noFlip;
    public double tinyCropPixels = 40;
    public double outsideImageConfidence = 0.1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** The parameters shipped with the bundled model. */
    public static final String BUNDLED = "/models/pfld/pfld-300w.quality.json";

    public static QualityModel bundled() { return resource(BUNDLED); }

    /** Parameters shipped in the jar at {@code path} (a bundled model's {@code NAME.quality.json}). */
    public static QualityModel resource(String path) {
        try (InputStream in = QualityModel.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing resource " + path);
            return check(JSON.readValue(in, QualityModel.class), path);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    public static QualityModel load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return check(JSON.readValue(in, QualityModel.class), file.toString());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + ": not a quality model: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code M.onnx} / {@code M.lmk} -> {@code M.quality.json} beside it. */
    public static Path besideModel(Path model) { return dev.lightmark.io.ModelFiles.beside(model, ".quality.json"); }

    /** The quality model beside a model file, else the bundled parameters (also for a null file). */
    public static QualityModel forModel(Path model) throws IOException {
        Path beside = model == null ? null : besideModel(model);
        return beside != null && Files.isRegularFile(beside) ? load(beside) : bundled();
    }

    public void save(Path file) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(this));
    }

    private static QualityModel check(QualityModel m, String name) {
        if (m.noFlip == null || m.noFlip.face == null || m.noFlip.pointIntercept == null)
            throw new IllegalArgumentException(name + ": quality model has no single-pass parameters");
        if (m.noFlip.face.length != QualitySignals.featureNames(false).length + 1)
            throw new IllegalArgumentException(name + ": single-pass face weights: expected "
                    + (QualitySignals.featureNames(false).length + 1) + ", got " + m.noFlip.face.length);
        if (m.flip != null && m.flip.face.length != QualitySignals.featureNames(true).length + 1)
            throw new IllegalArgumentException(name + ": flip face weights: expected "
                    + (QualitySignals.featureNames(true).length + 1) + ", got " + m.flip.face.length);
        return m;
    }

    /** The predicted NME from the model alone (no degenerate-case rules), unclamped. */
    public double rawPredictedNme(QualitySignals s) {
        boolean useFlip = s.hasFlip() && flip != null;
        Params p = useFlip ? flip : noFlip;
        double[] x = s.faceFeatures(useFlip);
        double z = p.bias;
        for (int i = 0; i < x.length; i++) z += p.face[i] * x[i];
        return Math.exp(z);
    }

    /**
     * The quality of one face. {@code imagePoints} are the output points in image pixels (for the
     * pose and the outside-the-image rule); never throws for degenerate input, and every value is finite.
     */
    public FaceQuality estimate(QualitySignals s, Landmarks imagePoints, int imageWidth, int imageHeight) {
        boolean useFlip = s.hasFlip() && flip != null;
        Params p = useFlip ? flip : noFlip;
        double nme = rawPredictedNme(s);
        // Rules for what validation faces never show.
        double tiny = Math.max(0, Math.min(1, s.cropPixels() / tinyCropPixels));
        if (tiny < 1) nme = Math.max(nme, 0.10 / Math.max(tiny, 1e-3));
        if (s.coverage() < 1) nme = Math.max(nme, 0.10 * (1 - s.coverage()) / 0.3);
        if (!Double.isFinite(nme)) nme = 1;
        nme = Math.max(0, Math.min(1, nme));
        int k = imagePoints.size();
        float[] conf = new float[k];
        double logNme = Math.log(Math.max(nme, 1e-4));
        for (int j = 0; j < k; j++) {
            double z = (p.pointIntercept.length == k ? p.pointIntercept[j] : mean(p.pointIntercept)) + p.pointFace * logNme;
            if (useFlip) z += p.pointDisagreement * s.pointDisagreementFeature(j);
            double c = 1 / (1 + Math.exp(-z));
            c *= tiny;
            float x = imagePoints.x(j), y = imagePoints.y(j);
            if (!(x >= 0 && x <= imageWidth && y >= 0 && y <= imageHeight)) c = Math.min(c, outsideImageConfidence);
            conf[j] = Double.isFinite(c) ? (float) Math.max(0, Math.min(1, c)) : 0f;
        }
        return new FaceQuality(nme, conf, FacePose.of(imagePoints), false);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return v.length == 0 ? 0 : s / v.length;
    }
}

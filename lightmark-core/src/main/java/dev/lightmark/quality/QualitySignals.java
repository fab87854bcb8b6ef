package dev.lightmark.quality;

import dev.lightmark.geometry.Box;
import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;

/**
 * Cheap per-face signals of how well the landmark model did, all from what inference produces
 * anyway: the points in crop units (the square the model read, side 1), the two readings of the
 * test-time flip when it ran (the face and its mirror, each in the face's own point order), the
 * crop's size in image pixels and how much of it lies inside the image.
 *
 * @param points        the output points in crop units (x0, y0, x1, ...)
 * @param disagreement  per point, the distance between the direct and the mirrored reading in crop
 *                      units; null without the flip test
 * @param interOcular   predicted outer-eye-corner distance in crop units
 * @param yaw           head yaw fitted from the predicted points, degrees
 * @param cropPixels    side of the square crop in image pixels
 * @param coverage      share of the crop square that lies inside the image, [0, 1]
 * @param outOfCrop     share of the points predicted outside the crop
 */
public record QualitySignals(float[] points, float[] disagreement, double interOcular, double yaw,
                             double cropPixels, double coverage, double outOfCrop) {
    /** Below this predicted inter-ocular distance (crop units) the ratio signals use this value. */
    public static final double MIN_INTER_OCULAR = 0.02;

    /**
     * @param points   output points, crop units
     * @param direct   the reading of the face itself (crop units), or null without flip
     * @param mirrored the reading of the mirrored crop put back in the face's frame and point order, or null
     * @param crop     the square the model read, in image pixels
     */
    public static QualitySignals of(float[] points, float[] direct, float[] mirrored, Box crop, int imageWidth, int imageHeight) {
        int k = points.length / 2;
        float[] dis = null;
        if (direct != null && mirrored != null) {
            dis = new float[k];
            for (int j = 0; j < k; j++)
                dis[j] = (float) Math.hypot(direct[2 * j] - mirrored[2 * j], direct[2 * j + 1] - mirrored[2 * j + 1]);
        }
        Landmarks lm = new Landmarks(points);
        double iod;
        try {
            iod = lm.interOcular(LandmarkScheme.forSize(k));
        } catch (RuntimeException e) {
            iod = Double.NaN;
        }
        int out = 0;
        for (int j = 0; j < k; j++) {
            float x = points[2 * j], y = points[2 * j + 1];
            if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) out++;
        }
        double side = Math.max(0, crop.w());
        double ix = Math.max(0, Math.min(crop.x() + crop.w(), imageWidth) - Math.max(crop.x(), 0));
        double iy = Math.max(0, Math.min(crop.y() + crop.h(), imageHeight) - Math.max(crop.y(), 0));
        double area = (double) crop.w() * crop.h();
        double coverage = area > 0 ? Math.min(1, ix * iy / area) : 0;
        return new QualitySignals(points, dis, Double.isFinite(iod) ? iod : 0, FacePose.of(lm).yaw(), side,
                coverage, k == 0 ? 1 : out / (double) k);
    }

    public boolean hasFlip() { return disagreement != null; }

    /** Inter-ocular distance used to normalise the disagreements (never below {@link #MIN_INTER_OCULAR}). */
    public double safeInterOcular() { return Math.max(MIN_INTER_OCULAR, interOcular); }

    /** Mean flip disagreement over the inter-ocular distance; NaN without flip. */
    public double meanDisagreement() {
        if (disagreement == null) return Double.NaN;
        double s = 0;
        for (float d : disagreement) s += d;
        return s / disagreement.length / safeInterOcular();
    }

    /** Largest point disagreement over the inter-ocular distance; NaN without flip. */
    public double maxDisagreement() {
        if (disagreement == null) return Double.NaN;
        double m = 0;
        for (float d : disagreement) m = Math.max(m, d);
        return m / safeInterOcular();
    }

    /** Names of the face features, in the order of {@link #faceFeatures(boolean)} (after the constant). */
    public static String[] featureNames(boolean flip) {
        return flip ? new String[]{"log mean flip disagreement / IOD", "log max flip disagreement / IOD", "log IOD / crop",
                "|yaw| / 45 deg", "log crop px / 100", "points outside crop"}
                : new String[]{"log IOD / crop", "|yaw| / 45 deg", "log crop px / 100", "points outside crop"};
    }

    /** The features of the face error model: a constant 1, then {@link #featureNames}. */
    public double[] faceFeatures(boolean flip) {
        double logIod = Math.log(safeInterOcular());
        double yaw = Math.min(Math.abs(yaw()), 90) / 45;
        double px = Math.log(Math.max(cropPixels, 1) / 100);
        if (flip) {
            if (disagreement == null) throw new IllegalStateException("no flip readings");
            return new double[]{1, Math.log(meanDisagreement() + 1e-4), Math.log(maxDisagreement() + 1e-4), logIod, yaw, px, outOfCrop};
        }
        return new double[]{1, logIod, yaw, px, outOfCrop};
    }

    /** The flip disagreement feature of one point (log of its disagreement over the inter-ocular distance). */
    public double pointDisagreementFeature(int j) {
        return Math.log(disagreement[j] / safeInterOcular() + 1e-4);
    }
}

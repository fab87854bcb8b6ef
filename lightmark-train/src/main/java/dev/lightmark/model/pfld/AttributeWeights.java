package dev.lightmark.model.pfld;

import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.pose.HeadPose;

import java.util.Arrays;
import java.util.List;

/**
 * PFLD's per-sample weight from face attributes: rarer attribute classes weigh more (inverse
 * frequency). 300-W has no attribute labels, so classes are derived from the ground truth:
 * profile (|yaw| > 30 degrees), head up / down (pitch 20 degrees from the data set's median),
 * expression (open mouth), and "plain" when none applies. Weights are scaled to mean 1.
 */
public final class AttributeWeights {
    public static final String[] CLASSES = {"profile", "head-up", "head-down", "expression", "plain"};

    private AttributeWeights() {}

    public static boolean[][] classify(List<Landmarks> shapes) {
        int n = shapes.size();
        float[][] pose = new float[n][];
        float[] pitches = new float[n];
        for (int i = 0; i < n; i++) {
            pose[i] = HeadPose.estimate(shapes.get(i));
            pitches[i] = pose[i][1];
        }
        float[] sorted = pitches.clone();
        Arrays.sort(sorted);
        float median = n == 0 ? 0 : sorted[n / 2];
        float deg30 = (float) Math.toRadians(30), deg20 = (float) Math.toRadians(20);
        boolean[][] c = new boolean[n][CLASSES.length];
        for (int i = 0; i < n; i++) {
            Landmarks l = shapes.get(i);
            c[i][0] = Math.abs(pose[i][0]) > deg30;
            c[i][1] = pose[i][1] - median > deg20;
            c[i][2] = pose[i][1] - median < -deg20;
            // Inner-lip gap relative to the nose length (27 -> 33): an open mouth.
            float gap = (float) Math.hypot(l.x(62) - l.x(66), l.y(62) - l.y(66));
            float nose = (float) Math.hypot(l.x(27) - l.x(33), l.y(27) - l.y(33));
            c[i][3] = gap > 0.35f * nose;
            c[i][4] = !(c[i][0] || c[i][1] || c[i][2] || c[i][3]);
        }
        return c;
    }

    /** Sum of inverse-frequency class weights per sample, normalised to mean 1. */
    public static float[] weights(boolean[][] classes) { return weights(classes, 1f); }

    /**
     * As {@link #weights(boolean[][])} with class weights (1/frequency)^power: power 1 is the
     * paper's; smaller powers temper very rare classes, which on 2,000 faces can otherwise weigh
     * 20x a plain face and make the gradient noisy.
     */
    public static float[] weights(boolean[][] classes, float power) {
        int n = classes.length;
        if (n == 0) return new float[0];
        int k = classes[0].length;
        float[] freq = new float[k];
        for (boolean[] c : classes) for (int j = 0; j < k; j++) if (c[j]) freq[j]++;
        float[] w = new float[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) if (classes[i][j]) w[i] += (float) Math.pow(n / freq[j], power);
            total += w[i];
        }
        float mean = (float) (total / n);
        for (int i = 0; i < n; i++) w[i] /= mean;
        return w;
    }
}

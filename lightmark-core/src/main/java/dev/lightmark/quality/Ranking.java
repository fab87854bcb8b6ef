package dev.lightmark.quality;

import java.util.Arrays;

/** Rank statistics for judging an error estimate: Spearman correlation and ROC AUC. */
public final class Ranking {
    private Ranking() {}

    /** Ranks 1..n, ties get their mean rank. */
    public static double[] ranks(double[] v) {
        int n = v.length;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Double.compare(v[a], v[b]));
        double[] r = new double[n];
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && v[idx[j + 1]] == v[idx[i]]) j++;
            double mean = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) r[idx[k]] = mean;
            i = j + 1;
        }
        return r;
    }

    /** Spearman's rank correlation (Pearson correlation of the ranks); NaN with fewer than 2 values or no spread. */
    public static double spearman(double[] a, double[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
        if (a.length < 2) return Double.NaN;
        return pearson(ranks(a), ranks(b));
    }

    public static double pearson(double[] a, double[] b) {
        int n = a.length;
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
        ma /= n;
        mb /= n;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return saa == 0 || sbb == 0 ? Double.NaN : sab / Math.sqrt(saa * sbb);
    }

    /**
     * Area under the ROC curve of {@code score} for telling {@code positive} cases from the others:
     * the probability that a random positive scores above a random negative (ties count half).
     * NaN when either class is empty.
     */
    public static double rocAuc(double[] score, boolean[] positive) {
        if (score.length != positive.length) throw new IllegalArgumentException("lengths differ");
        double[] r = ranks(score);
        long pos = 0;
        double rankSum = 0;
        for (int i = 0; i < r.length; i++)
            if (positive[i]) { pos++; rankSum += r[i]; }
        long neg = r.length - pos;
        if (pos == 0 || neg == 0) return Double.NaN;
        return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }
}

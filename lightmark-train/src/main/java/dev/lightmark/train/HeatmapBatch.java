package dev.lightmark.train;

/**
 * One heatmap training batch as flat arrays: images (N, 3, S, S) in [-1, 1], heatmaps
 * (N, K, S/4, S/4), targets (N, 2K) in crop units (0..1) and inter-ocular distances in crop units.
 */
public record HeatmapBatch(int n, float[] images, float[] heatmaps, float[] targets, float[] interOcular) {}

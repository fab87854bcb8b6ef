package dev.lightmark.train;

/** One training batch as flat arrays: images (N,3,S,S) in [-1,1], targets (N,2K) in crop units, angles (N,3), weights (N). */
public record Batch(int n, float[] images, float[] targets, float[] angles, float[] weights, float[] interOcular) {}

package dev.lightmark.model.tsal;

/** Settings of architecture "tsal" stored in the model file: backbone width and how the two heads are read. */
public class TsalSpec {
    /** Backbone width multiplier (PFLD's MobileNetV2 trunk). */
    public float width = 0.25f;
    /** Gaussian sigma of the heatmap head, in heatmap pixels (maps are a quarter of the input). */
    public float sigma = 1.5f;
    /** Heads agree on a point when they are closer than this share of the inter-ocular distance. */
    public float agreement = 0.1f;

    public TsalNet build(int points) { return new TsalNet(points, width, sigma, agreement); }
}

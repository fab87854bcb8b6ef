package dev.lightmark.model.hourglass;

/**
 * The size and options of a saved hourglass model, stored inside its {@code ModelSpec}, and the
 * heatmap settings its decoder needs.
 */
public class HourglassSpec {
    public int stacks = 2;
    public int depth = 3;
    public int channels = 64;
    public boolean coordConv = true;
    public boolean coordAttention = true;
    public boolean squeezeExcitation = true;
    /** Gaussian sigma of the training heatmaps, in heatmap pixels (the decoder smooths with it). */
    public float sigma = 1.5f;

    public HourglassNet.Options options() { return new HourglassNet.Options(coordConv, coordAttention, squeezeExcitation); }

    public HourglassNet build(int points) { return new HourglassNet(stacks, depth, channels, points, options()); }
}

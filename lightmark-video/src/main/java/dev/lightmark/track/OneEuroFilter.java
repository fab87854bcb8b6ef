package dev.lightmark.track;

/**
 * The One Euro filter (Casiez, Roussel and Vogel, CHI 2012) for one coordinate: an exponential
 * low-pass whose cut-off frequency rises with the signal's speed, so a still signal is smoothed
 * hard (little jitter) and a moving one lightly (little lag). Time is in seconds, so frames need
 * not be evenly spaced. The speed can be divided by a scale (e.g. the face size) so that one set
 * of parameters fits small and large faces alike.
 */
public final class OneEuroFilter {
    private final OneEuroParams params;
    private boolean started;
    private double x, dx, t;

    public OneEuroFilter(OneEuroParams params) { this.params = params; }

    /** The filtered value of {@code value} seen at {@code seconds}; the speed is in units/s. */
    public double filter(double value, double seconds) { return filter(value, seconds, 1); }

    /**
     * @param speedScale the speed is divided by this before it raises the cut-off (e.g. the face
     *                   size in pixels, making beta's unit "per face size")
     */
    public double filter(double value, double seconds, double speedScale) {
        if (!started) {
            started = true;
            x = value;
            dx = 0;
            t = seconds;
            return value;
        }
        double dt = seconds - t;
        if (!(dt > 0)) return x; // a repeated or out-of-order time stamp adds no information
        double rawSpeed = (value - x) / dt;
        dx += alpha(params.dCutoff(), dt) * (rawSpeed - dx);
        double cutoff = params.minCutoff() + params.beta() * Math.abs(dx) / speedScale;
        x += alpha(cutoff, dt) * (value - x);
        t = seconds;
        return x;
    }

    /** Forgets the past: the next value passes through unchanged. */
    public void reset() { started = false; }

    /** Smoothing factor of a first-order low-pass with cut-off {@code hz} sampled after {@code dt} s. */
    static double alpha(double hz, double dt) {
        double tau = 1 / (2 * Math.PI * hz);
        return 1 / (1 + tau / dt);
    }
}

package dev.lightmark.train;

import java.util.Arrays;

/**
 * Learning rate: linear warm-up over the first {@code warmupEpochs}, then the base rate times
 * {@code factor} for every decay epoch already reached (step decay, as the hourglass papers use).
 */
public record StepSchedule(float base, int warmupEpochs, int[] decayEpochs, float factor) {
    public StepSchedule {
        if (!(base > 0)) throw new IllegalArgumentException("learning rate must be positive, not " + base);
        if (!(factor > 0 && factor <= 1)) throw new IllegalArgumentException("decay factor must be in (0, 1], not " + factor);
        decayEpochs = decayEpochs.clone();
        Arrays.sort(decayEpochs);
    }

    /** Rate at a step of an epoch (both 0-based). */
    public float at(int epoch, int step, int stepsPerEpoch) {
        double t = (double) epoch * stepsPerEpoch + step;
        double warm = (double) warmupEpochs * stepsPerEpoch;
        if (t < warm) return (float) (base * (t + 1) / warm);
        int decays = 0;
        for (int e : decayEpochs) if (epoch >= e) decays++;
        return (float) (base * Math.pow(factor, decays));
    }
}

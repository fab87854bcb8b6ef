package dev.lightmark.track;

/**
 * One Euro filter settings.
 *
 * @param minCutoff cut-off frequency (Hz) of a still signal: lower smooths more and lags more
 * @param beta      how fast the cut-off rises with speed (Hz per unit of speed): higher lags less
 *                  on fast motion
 * @param dCutoff   cut-off frequency (Hz) of the low-pass on the speed estimate itself
 */
public record OneEuroParams(double minCutoff, double beta, double dCutoff) {
    public OneEuroParams {
        if (!(minCutoff > 0) || !(dCutoff > 0) || !(beta >= 0) || !Double.isFinite(minCutoff + beta + dCutoff))
            throw new IllegalArgumentException("One Euro filter needs minCutoff > 0, dCutoff > 0, beta >= 0 (got "
                    + minCutoff + ", " + beta + ", " + dCutoff + ")");
    }
}

package dev.lightmark.heatmap;

/**
 * How a landmark becomes a Gaussian heatmap. Heatmap coordinates are continuous like crop
 * coordinates: heatmap pixel j covers [j, j+1), its centre is j + 0.5, and a crop of side S with
 * heatmaps of side S/4 maps a crop point p to p/4.
 */
public enum HeatmapEncoding {
    /**
     * The common form: a Gaussian centred on the centre of the pixel that holds the point. The
     * sub-pixel part of the position is lost (up to half a heatmap pixel, i.e. 2 crop pixels).
     */
    ROUNDED,
    /**
     * "Gaussian with offset": the Gaussian is centred at the exact sub-pixel point and sampled at
     * the pixel centres, then scaled so that the pixel holding the point is 1. The values around
     * the peak are weighted by the offset, so the decoder can recover it.
     */
    OFFSET
}

package dev.lightmark.infer;

import dev.lightmark.heatmap.GaussianHeatmaps;
import dev.lightmark.heatmap.HeatmapEncoding;

/**
 * Turns a network's raw output into (n, 2K) crop-unit points, whatever the network emits:
 * coordinates already, or heatmaps decoded by the one heatmap codec ({@link GaussianHeatmaps})
 * that training encodes with. Keeps decoding out of the networks and runtimes. The same decoder
 * serves a network on DJL and its ONNX export: an exported file names its decoder in its
 * metadata ({@link DecoderMetadata}).
 */
@FunctionalInterface
public interface OutputDecoder {
    /** @param shape the output tensor's shape, batch first */
    float[] toCropUnits(float[] raw, long[] shape);

    /**
     * All of the network's outputs, in graph order, to points. Most networks have one output
     * and decode it alone; a decoder of several (TSAL's two heads) overrides this.
     */
    default float[] toCropUnits(float[][] raws, long[][] shapes) {
        if (raws.length != outputs()) throw new IllegalArgumentException("decoder reads " + outputs() + " output(s), got " + raws.length);
        return toCropUnits(raws[0], shapes[0]);
    }

    /** How many network outputs this decoder reads. */
    default int outputs() { return 1; }

    /** The output already holds (n, 2K) crop-unit points. */
    OutputDecoder POINTS = (raw, shape) -> raw;

    /** (n, K, H, W) heatmaps with this Gaussian sigma (heatmap pixels) and encoding. */
    static OutputDecoder heatmaps(float sigma, HeatmapEncoding encoding) {
        return (raw, shape) -> {
            if (shape.length != 4) throw new IllegalArgumentException("heatmap output must be (n, K, H, W), not rank " + shape.length);
            return new GaussianHeatmaps((int) shape[3], sigma, encoding).toCropUnits(raw, (int) shape[0], (int) shape[1]);
        };
    }
}

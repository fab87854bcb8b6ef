package dev.lightmark.infer;

import dev.lightmark.heatmap.HeatmapEncoding;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How an exported ONNX file says which {@link OutputDecoder} reads its outputs: metadata keys
 * written by the exporter and read back by {@link OnnxLandmarkRunner}, so an ONNX model decodes
 * with the same code as the trained network it came from. A file without {@value #DECODER}
 * (PFLD exports) holds points.
 *
 * <ul>
 *   <li>{@code points}: one output (n, 2K), crop units;</li>
 *   <li>{@code heatmaps}: one output (n, K, H, W), with {@value #SIGMA} and {@value #ENCODING};</li>
 *   <li>{@code two-heads}: heatmaps (n, K, H, W) then points (n, 2K), with the heatmap keys and
 *       {@value #AGREEMENT} ({@link TwoHeadDecoder}).</li>
 * </ul>
 */
public final class DecoderMetadata {
    public static final String DECODER = "lightmark.decoder";
    public static final String SIGMA = "lightmark.heatmap.sigma";
    public static final String ENCODING = "lightmark.heatmap.encoding";
    public static final String AGREEMENT = "lightmark.agreement";

    public static final String POINTS = "points", HEATMAPS = "heatmaps", TWO_HEADS = "two-heads";

    private DecoderMetadata() {}

    public static Map<String, String> points() { return Map.of(DECODER, POINTS); }

    public static Map<String, String> heatmaps(float sigma, HeatmapEncoding encoding) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(DECODER, HEATMAPS);
        m.put(SIGMA, Float.toString(sigma));
        m.put(ENCODING, encoding.name());
        return m;
    }

    public static Map<String, String> twoHeads(float sigma, HeatmapEncoding encoding, float agreement) {
        Map<String, String> m = heatmaps(sigma, encoding);
        m.put(DECODER, TWO_HEADS);
        m.put(AGREEMENT, Float.toString(agreement));
        return m;
    }

    /** The decoder a file's metadata names; points when it names none. */
    public static OutputDecoder read(Map<String, String> meta) {
        String kind = meta.getOrDefault(DECODER, POINTS);
        return switch (kind) {
            case POINTS -> OutputDecoder.POINTS;
            case HEATMAPS -> OutputDecoder.heatmaps(sigma(meta), encoding(meta));
            case TWO_HEADS -> new TwoHeadDecoder(sigma(meta), encoding(meta), number(meta, AGREEMENT));
            default -> throw new IllegalArgumentException("unknown " + DECODER + " '" + kind + "' (known: points, heatmaps, two-heads)");
        };
    }

    private static float sigma(Map<String, String> meta) {
        float s = number(meta, SIGMA);
        if (!(s > 0)) throw new IllegalArgumentException(SIGMA + " must be positive, not " + s);
        return s;
    }

    private static HeatmapEncoding encoding(Map<String, String> meta) {
        String e = meta.get(ENCODING);
        if (e == null) throw new IllegalArgumentException("missing " + ENCODING);
        return HeatmapEncoding.valueOf(e.toUpperCase(Locale.ROOT));
    }

    private static float number(Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) throw new IllegalArgumentException("missing " + key);
        return Float.parseFloat(v);
    }
}

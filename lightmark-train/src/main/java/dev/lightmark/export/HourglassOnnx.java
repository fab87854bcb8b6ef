package dev.lightmark.export;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lightmark.export.GraphEmitter.Value;
import dev.lightmark.heatmap.HeatmapEncoding;
import dev.lightmark.infer.DecoderMetadata;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.model.hourglass.AddCoords;
import dev.lightmark.model.hourglass.Bottleneck;
import dev.lightmark.model.hourglass.CoordinateAttention;
import dev.lightmark.model.hourglass.Hourglass;
import dev.lightmark.model.hourglass.HourglassArchitecture;
import dev.lightmark.model.hourglass.HourglassNet;
import dev.lightmark.model.hourglass.SqueezeExcitation;

/**
 * The light stacked hourglass ({@link HourglassNet}) to its last stack's heatmaps,
 * {@value #OUTPUT} (N, K, S/4, S/4). The points are decoded after the graph, in Java, by the heatmap
 * codec training encodes with: the metadata names the {@code heatmaps} decoder with the model's
 * sigma and the offset encoding ({@link DecoderMetadata}), as {@link HourglassArchitecture#decoder}
 * does for the DJL network.
 */
final class HourglassOnnx implements OnnxExports.Writer {
    static final String OUTPUT = "heatmaps";

    @Override public String architecture() { return HourglassArchitecture.NAME; }

    @Override
    public byte[] write(Block block, ModelSpec spec, GraphEmitter e) {
        if (!(block instanceof HourglassNet net))
            throw new IllegalArgumentException("an hourglass model must be an HourglassNet, not " + block.getClass().getSimpleName());
        float sigma = HourglassArchitecture.settings(spec).sigma;
        e.on(Bottleneck.class, HourglassOnnx::bottleneck)
                .on(Hourglass.class, HourglassOnnx::hourglass)
                .on(CoordinateAttention.class, HourglassOnnx::coordinateAttention)
                .on(SqueezeExcitation.class, HourglassOnnx::squeezeExcitation)
                .on(AddCoords.class, HourglassOnnx::addCoords);
        Value x = e.input(spec.inputSize);
        if (net.options().coordConv()) x = e.child(net, "", "coords", x);
        x = e.child(net, "", "stem", x);
        Value heatmaps = null;
        for (int i = 0; i < net.stacks(); i++) {
            Value hg = e.child(net, "", "hourglass" + i, x);
            Value f = e.child(net, "", "features" + i, hg);
            heatmaps = e.child(net, "", "heatmaps" + i, f);
            if (i < net.stacks() - 1) {
                Value fb = e.child(net, "", "featuresBack" + i, f);
                Value hb = e.child(net, "", "heatmapsBack" + i, heatmaps);
                x = e.add("stack" + i + "_next", e.add("stack" + i + "_plusfeatures", x, fb), hb);
            }
        }
        long k = heatmaps.shape().get(1), h = heatmaps.shape().get(2);
        if (k != spec.points || h * 4 != spec.inputSize)
            throw new IllegalStateException("heatmaps are " + heatmaps.shape() + ", expected (1, " + spec.points + ", "
                    + spec.inputSize / 4 + ", " + spec.inputSize / 4 + ")");
        heatmaps = e.identity(OUTPUT, heatmaps);   // the graph output under its documented name
        e.output(heatmaps);
        e.metadata(spec, DecoderMetadata.heatmaps(sigma, HeatmapEncoding.OFFSET),
                "float (N, " + k + ", " + h + ", " + h + ") heatmaps (Gaussian, sigma " + sigma + " px, offset encoding); "
                        + "points: decoded after the graph (lightmark.decoder)");
        return e.toModel("hourglass", OnnxExporter.OPSET);
    }

    /** Body, plus the input or its projection, then ReLU. */
    private static Value bottleneck(GraphEmitter e, Bottleneck b, String prefix, Value in) {
        Value y = e.child(b, prefix, "body", in);
        Value skip = has(b, "projection") ? e.child(b, prefix, "projection", in) : in;
        return e.relu(prefix + "relu", e.add(prefix + "add", y, skip));
    }

    /** Skip branch + (max pool, down, inner, up, gates, x2 nearest upsampling). */
    private static Value hourglass(GraphEmitter e, Hourglass hg, String prefix, Value in) {
        Value high = e.child(hg, prefix, "skip", in);
        Value low = e.maxPool2(prefix + "halve", in);
        low = e.child(hg, prefix, "down", low);
        low = e.child(hg, prefix, "inner", low);
        low = e.child(hg, prefix, "up", low);
        if (has(hg, "ca")) low = e.child(hg, prefix, "ca", low);
        if (has(hg, "se")) low = e.child(hg, prefix, "se", low);
        return e.add(prefix + "fuse", high, e.doubleSize(prefix + "double", low));
    }

    /**
     * Means along W and along H, the shared conv + BN + h-swish, a sigmoid gate per row and per
     * column. The network joins the two profiles to run the shared layer once; it acts on each
     * position alone, so here it runs on each profile apart (its weights written twice, 2 KB).
     * That, and (in a float graph) average pools instead of ReduceMean, keeps every op on the
     * feature map in ONNX Runtime's blocked (NCHWc) layout: no transposes, joins or slices, and no
     * reordering of the whole map to and fro around each attention block.
     */
    private static Value coordinateAttention(GraphEmitter e, CoordinateAttention ca, String prefix, Value x) {
        long h = x.shape().get(2), w = x.shape().get(3);
        Block shared = GraphEmitter.find(ca, "shared").getValue();
        // On bytes, ONNX Runtime ran these pools as QLinearAveragePool, slower than a float mean
        // of the dequantised map (BENCHMARKS.md, "A cheaper int8 graph"): ReduceMean there.
        Value alongH = e.bytes() ? e.reduceMean(prefix + "meanW", x, 3) : e.averagePool(prefix + "meanW", x, 1, w);   // (N, C, H, 1)
        Value alongW = e.bytes() ? e.reduceMean(prefix + "meanH", x, 2) : e.averagePool(prefix + "meanH", x, h, 1);   // (N, C, 1, W)
        Value gateH = e.sigmoid(prefix + "gateH", e.child(ca, prefix, "toH", e.emit(shared, prefix + "sharedH_", alongH)));
        Value gateW = e.sigmoid(prefix + "gateW", e.child(ca, prefix, "toW", e.emit(shared, prefix + "sharedW_", alongW)));
        return e.mul(prefix + "gated", e.mul(prefix + "gatedH", x, gateH), gateW);
    }

    /** Global mean, 1x1 down, ReLU, 1x1 up, sigmoid, times the input. */
    private static Value squeezeExcitation(GraphEmitter e, SqueezeExcitation se, String prefix, Value x) {
        Value pooled = e.globalAveragePool(prefix + "pool", x);
        Value hidden = e.relu(prefix + "relu", e.child(se, prefix, "down", pooled));
        Value gate = e.sigmoid(prefix + "gate", e.child(se, prefix, "up", hidden));
        return e.mul(prefix + "gated", x, gate);
    }

    /** Two constant channels (pixel-centre x and y in [-1, 1]) repeated over the batch and appended. */
    private static Value addCoords(GraphEmitter e, AddCoords block, String prefix, Value x) {
        int h = (int) x.shape().get(2), w = (int) x.shape().get(3);
        float[] c = new float[2 * h * w];
        for (int v = 0; v < h; v++)
            for (int u = 0; u < w; u++) {
                c[v * w + u] = 2f * (u + 0.5f) / w - 1f;
                c[h * w + v * w + u] = 2f * (v + 0.5f) / h - 1f;
            }
        Shape s = new Shape(1, 2, h, w);
        String constant = e.g.initializer(prefix + "grid", s.getShape(), c);
        Value grid = e.batchOf(prefix + "batchgrid", constant, s, x);
        return e.concat(prefix + "concat", 1, x, grid);
    }

    private static boolean has(Block parent, String name) {
        return parent.getChildren().keys().stream().anyMatch(k -> k.replaceFirst("^\\d+", "").equals(name));
    }
}

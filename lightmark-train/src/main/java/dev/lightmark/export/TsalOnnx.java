package dev.lightmark.export;

import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import dev.lightmark.export.GraphEmitter.Value;
import dev.lightmark.infer.DecoderMetadata;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.infer.TwoHeadDecoder;
import dev.lightmark.model.tsal.TsalArchitecture;
import dev.lightmark.model.tsal.TsalNet;

/**
 * TSAL's two-head net ({@link TsalNet}) to both heads' raw outputs: {@value HourglassOnnx#OUTPUT}
 * (N, K, S/4, S/4) from head A and {@value OnnxExporter#OUTPUT} (N, 2K), head B's centre plus
 * offsets in crop units. Decoding the maps and fusing the heads happen after the graph, in
 * {@link TwoHeadDecoder}, the code the DJL network's forward uses too (the metadata names the
 * {@code two-heads} decoder with the net's sigma and agreement threshold).
 */
final class TsalOnnx implements OnnxExports.Writer {
    @Override public String architecture() { return TsalArchitecture.NAME; }

    @Override
    public byte[] write(Block block, ModelSpec spec, GraphEmitter e) {
        if (!(block instanceof TsalNet net)) throw new IllegalArgumentException("a tsal model must be a TsalNet, not " + block.getClass().getSimpleName());
        if (spec.points != net.points())
            throw new IllegalArgumentException("spec says " + spec.points + " points, network has " + net.points());
        int k = net.points();
        Value in = e.input(spec.inputSize);
        Value f28 = e.child(net, "", "stage28", e.child(net, "", "stem", in));
        Value f14 = e.child(net, "", "stage14", f28);

        // Head B: PFLD's head predicting the centre (offset from the crop centre) and each point's offset from it.
        Value s1 = e.child(net, "", "toS1", f14);
        Value s2 = e.child(net, "", "toS2", s1);
        Value s3 = e.child(net, "", "toS3", s2);
        Pair<String, Block> fc = GraphEmitter.find(net, "centreOffsets");
        if (!(fc.getValue() instanceof Linear linear)) throw new IllegalStateException("centreOffsets is not a Linear block");
        Value out = e.gemm(linear, null, fc.getKey() + "_", PfldOnnx.features(e, "", s1, s2, s3), "centre_offsets");
        if (out.shape().get(1) != 2L + 2L * k) throw new IllegalStateException("head B gives " + out.shape() + ", expected 2 + 2K");
        Value centre = e.reshape("centre", e.add("centre_abs", e.slice("centre_rel", out, 1, 0, 2),
                new Value(e.scalar(0.5f), new ai.djl.ndarray.types.Shape(1, 1))), -1, 1, 2);
        Value offsets = e.reshape("offsets", e.slice("offsets_flat", out, 1, 2, 2L + 2L * k), -1, k, 2);
        Value points = e.reshape(OnnxExporter.OUTPUT, e.add("points", offsets, centre), -1, 2L * k);

        // Head A: the 14x14 features doubled and joined with the 28x28 ones, to K maps.
        Value up = e.doubleSize("lateral_double", e.child(net, "", "lateral", f14));
        Value maps = e.child(net, "", "heatmaps", e.concat("joined", 1, up, f28));
        Value heatmaps = e.identity(HourglassOnnx.OUTPUT, maps);
        if (heatmaps.shape().get(1) != k || heatmaps.shape().get(2) * 4 != spec.inputSize)
            throw new IllegalStateException("head A gives " + heatmaps.shape() + ", expected (1, " + k + ", S/4, S/4)");

        e.output(heatmaps);
        e.output(points);
        long h = heatmaps.shape().get(2);
        e.metadata(spec, DecoderMetadata.twoHeads(net.sigma(), net.decoder().encoding(), net.agreement()),
                "heatmaps: float (N, " + k + ", " + h + ", " + h + ") (head A); landmarks: float (N, " + 2 * k
                        + ") x0, y0, ... in crop units (head B); points: the two heads fused after the graph (lightmark.decoder)");
        return e.toModel("tsal", OnnxExporter.OPSET);
    }
}

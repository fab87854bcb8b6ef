package dev.lightmark.export;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import dev.lightmark.infer.DecoderMetadata;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.model.pfld.PfldNet;

import java.util.List;

/** PFLD: trunk, pooled S1/S2 and S3 joined, the Linear head; output {@value OnnxExporter#OUTPUT} (N, 2K). */
final class PfldOnnx implements OnnxExports.Writer {
    @Override public String architecture() { return "pfld"; }

    @Override
    public byte[] write(Block block, ModelSpec spec, GraphEmitter e) {
        if (!(block instanceof PfldNet net)) throw new IllegalArgumentException("a pfld model must be a PfldNet, not " + block.getClass().getSimpleName());
        if (spec.points != net.points())
            throw new IllegalArgumentException("spec says " + spec.points + " points, network has " + net.points());
        GraphEmitter.Value in = e.input(spec.inputSize);
        GraphEmitter.Value f28 = e.child(net, "", "stem", in);
        f28 = e.child(net, "", "stage28", f28);
        GraphEmitter.Value s1 = e.child(net, "", "stage14", f28);
        GraphEmitter.Value s2 = e.child(net, "", "toS2", s1);
        GraphEmitter.Value s3 = e.child(net, "", "toS3", s2);
        GraphEmitter.Value fused = features(e, "", s1, s2, s3);

        Pair<String, Block> head = GraphEmitter.find(net, "head");
        if (!(head.getValue() instanceof Linear linear)) throw new IllegalStateException("head is not a Linear block");
        GraphEmitter.Value out = e.gemm(linear, null, head.getKey() + "_", fused, OnnxExporter.OUTPUT);
        long outputs = out.shape().get(1);
        if (outputs != 2L * net.points())
            throw new IllegalStateException("head gives " + outputs + " values, expected " + 2 * net.points());
        e.output(out);
        e.metadata(spec, java.util.Map.of(), "float (N, " + outputs + ") x0, y0, x1, y1, ... in crop units (0..1)");
        return e.toModel("pfld", OnnxExporter.OPSET);
    }

    /** PFLD's multi-scale features (PfldTrunk.features): pooled S1, pooled S2, S3, joined: (N, 176). */
    static GraphEmitter.Value features(GraphEmitter e, String prefix, GraphEmitter.Value s1, GraphEmitter.Value s2, GraphEmitter.Value s3) {
        OnnxGraph g = e.g;
        String p1 = g.node("Flatten", prefix + "s1_vector",
                List.of(g.node("GlobalAveragePool", prefix + "s1_pool", List.of(s1.name()))), OnnxGraph.Attr.i("axis", 1));
        String p2 = g.node("Flatten", prefix + "s2_vector",
                List.of(g.node("GlobalAveragePool", prefix + "s2_pool", List.of(s2.name()))), OnnxGraph.Attr.i("axis", 1));
        if (s3.shape().size() != s3.shape().get(1))
            throw new IllegalStateException("S3 should be (N, C, 1, 1), is " + s3.shape());
        String p3 = g.node("Flatten", prefix + "s3_vector", List.of(s3.name()), OnnxGraph.Attr.i("axis", 1));
        long features = s1.shape().get(1) + s2.shape().get(1) + s3.shape().get(1);
        return new GraphEmitter.Value(g.node("Concat", prefix + "fused", List.of(p1, p2, p3), OnnxGraph.Attr.i("axis", 1)),
                new Shape(1, features));
    }
}

package dev.lightmark.export;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import dev.lightmark.export.GraphEmitter.Value;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.model.cascade.CascadeArchitecture;
import dev.lightmark.model.cascade.CascadeNet;
import dev.lightmark.model.cascade.CascadeSpec;
import dev.lightmark.model.cascade.CascadeStage;

import java.util.List;

/**
 * The selective cascade ({@link CascadeNet}) as one graph, opset 16: from the mean shape, every
 * stage cuts its patches around the current points with {@code GridSample} (bilinear, zeros
 * outside, the sampling {@link dev.lightmark.model.cascade.PatchSampler} does in Java) from a
 * pyramid of 2x2 average pools, runs its patch network and attention, and adds its shape update.
 * Output {@value OnnxExporter#OUTPUT} (N, 2K) crop units after all stages.
 *
 * <p>All stages run for every face: early exit (a face leaving when a stage predicts a small
 * error) is data-dependent control flow and stays with the DJL runtime; the exported graph gives
 * the cascade's points with its default settings (every stage, no exit threshold).
 */
final class CascadeOnnx implements OnnxExports.Writer {
    /** GridSample came in opset 16. */
    static final int OPSET = 16;

    @Override public String architecture() { return CascadeArchitecture.NAME; }

    @Override
    public byte[] write(Block block, ModelSpec spec, GraphEmitter e) {
        if (!(block instanceof CascadeNet net)) throw new IllegalArgumentException("a cascade model must be a CascadeNet, not " + block.getClass().getSimpleName());
        if (spec.points != net.points() || spec.inputSize != net.inputSize())
            throw new IllegalArgumentException("spec says " + spec.points + " points at " + spec.inputSize + " px, network has "
                    + net.points() + " at " + net.inputSize());
        CascadeSpec cs = net.spec();
        int k = net.points(), size = net.inputSize(), p = cs.patchSize;
        int[] patchPoints = net.patchPoints();
        long count = patchPoints.length;

        Value in = e.input(size);
        Value[] levels = new Value[cs.scales];
        levels[0] = in;
        for (int l = 1; l < cs.scales; l++) levels[l] = e.averagePool2("level" + l, levels[l - 1]);
        // Per level, where patch pixel (u, v) sits relative to its centre, in GridSample's [-1, 1]
        // units (align_corners = 0: pixel centres at (2i + 1) / s - 1).
        String[] offsets = new String[cs.scales];
        for (int l = 0; l < cs.scales; l++) {
            int s = size >> l;
            float[] o = new float[p * p * 2];
            for (int v = 0; v < p; v++)
                for (int u = 0; u < p; u++) {
                    o[2 * (v * p + u)] = (2f * u + 1 - p) / s;
                    o[2 * (v * p + u) + 1] = (2f * v + 1 - p) / s;
                }
            offsets[l] = e.g.initializer("level" + l + "_offsets", new long[]{1, 1, p, p, 2}, o);
        }
        String indices = e.ints("patch_points", java.util.Arrays.stream(patchPoints).asLongStream().toArray());

        Shape meanShape = new Shape(1, 2L * k);
        Value cur = e.batchOf("mean_shape", e.g.initializer("mean_shape_1", meanShape.getShape(), net.meanShape()), meanShape, in);
        for (int t = 0; t < net.stageCount(); t++) {
            String st = "stage" + (t + 1);
            Value pts = e.reshape(st + "_points", cur, -1, k, 2);
            Value chosen = new Value(e.g.node("Gather", st + "_chosen", List.of(pts.name(), indices), OnnxGraph.Attr.i("axis", 1)),
                    new Shape(1, count, 2));
            // Centre in [-1, 1]: 2c - 1.
            Value centre = e.reshape(st + "_centre", e.add(st + "_centre_flat", e.scale(st + "_twice", chosen, 2f),
                    new Value(e.scalar(-1f), new Shape(1, 1, 1))), -1, count, 1, 1, 2);
            Value[] perLevel = new Value[cs.scales];
            for (int l = 0; l < cs.scales; l++) {
                String n = st + "_level" + l;
                Value grid = e.add(n + "_grid5", centre, new Value(offsets[l], new Shape(1, 1, p, p, 2)));
                grid = e.reshape(n + "_grid", grid, -1, count * p, p, 2);
                Value sampled = new Value(e.g.node("GridSample", n + "_sampled", List.of(levels[l].name(), grid.name()),
                        OnnxGraph.Attr.i("align_corners", 0), OnnxGraph.Attr.s("mode", "bilinear"), OnnxGraph.Attr.s("padding_mode", "zeros")),
                        new Shape(1, 3, count * p, p));
                perLevel[l] = e.reshape(n + "_patches", sampled, -1, 3, count, p, p);
            }
            Value stacked = cs.scales == 1 ? perLevel[0] : e.concat(st + "_levels", 1, perLevel);          // (N, 3L, P, p, p)
            Value patches = e.reshape(st + "_patches", e.transpose(st + "_bypatch", stacked, 0, 2, 1, 3, 4), -1, 3L * cs.scales, p, p);
            cur = e.add(st + "_shape", cur, stage(e, net.stage(t), GraphEmitter.find(net, st).getKey() + "_", patches, count, k));
        }
        Value out = e.identity(OnnxExporter.OUTPUT, cur);
        e.output(out);
        e.metadata(spec, java.util.Map.of(), "float (N, " + 2 * k + ") x0, y0, x1, y1, ... in crop units (0..1), after all "
                + net.stageCount() + " stages (no early exit)");
        return e.toModel("cascade", OPSET);
    }

    /** One stage's shape update (N, 2K) from its patches (N * P, 3L, p, p). */
    private static Value stage(GraphEmitter e, CascadeStage stage, String prefix, Value patches, long count, int k) {
        Value emb = e.child(stage, prefix, "patchNet", patches);                                   // (N*P, E), its batch norm folded
        Value w = e.sigmoid(prefix + "weights", e.child(stage, prefix, "attention", emb));        // (N*P, 1)
        long embedding = emb.shape().get(1);
        Value weighted = e.scale(prefix + "scaled", e.mul(prefix + "weighted", emb, w), (float) (1 / Math.sqrt(count)));
        Value f = e.reshape(prefix + "features", weighted, -1, count * embedding);
        Pair<String, Block> r = GraphEmitter.find(stage, "regressor");
        if (!(r.getValue() instanceof Linear linear)) throw new IllegalStateException("regressor is not a Linear block");
        Value update = e.gemm(linear, null, prefix + r.getKey() + "_", f, prefix + "update");
        if (update.shape().get(1) != 2L * k) throw new IllegalStateException("stage update is " + update.shape());
        return update;
    }
}

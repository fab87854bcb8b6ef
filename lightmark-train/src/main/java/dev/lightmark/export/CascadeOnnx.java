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
import dev.lightmark.model.cascade.PatchSampler;

import java.util.List;

/**
 * The selective cascade ({@link CascadeNet}) as one graph: from the mean shape, every stage cuts
 * its patches around the current points, runs its patch network and attention, and adds its
 * shape update. Output {@value OnnxExporter#OUTPUT} (N, 2K) crop units after all stages.
 *
 * <p>The patches are cut as {@link PatchSampler} cuts them: a pyramid of 2x2 means, and per point
 * and level a p x p window whose samples sit one pixel apart, so one fractional offset (fx, fy)
 * holds for the whole window. The graph gathers the (p+1) x (p+1) pixels under the window from
 * the level padded with p+1 zeros on each side (a window start clamped into the padding reads
 * zeros, as the Java sampler does outside the crop) and blends its four shifted p x p views with
 * the bilinear weights, in the Java sampler's order. Plain opset-13 operations; ONNX Runtime's
 * GridSample was tried first and took 70 % of the time.
 *
 * <p>All stages run for every face: early exit (a face leaving when a stage predicts a small
 * error) is data-dependent control flow and stays with the DJL runtime; the exported graph gives
 * the cascade's points with its default settings (every stage, no exit threshold).
 */
final class CascadeOnnx implements OnnxExports.Writer {
    @Override public String architecture() { return CascadeArchitecture.NAME; }

    @Override
    public byte[] write(Block block, ModelSpec spec, GraphEmitter e) {
        if (!(block instanceof CascadeNet net)) throw new IllegalArgumentException("a cascade model must be a CascadeNet, not " + block.getClass().getSimpleName());
        if (spec.points != net.points() || spec.inputSize != net.inputSize())
            throw new IllegalArgumentException("spec says " + spec.points + " points at " + spec.inputSize + " px, network has "
                    + net.points() + " at " + net.inputSize());
        CascadeSpec cs = net.spec();
        int k = net.points(), size = net.inputSize(), p = cs.patchSize, margin = p + 1;
        int[] patchPoints = net.patchPoints();
        long count = patchPoints.length;

        Value in = e.input(size);
        Level[] levels = new Level[cs.scales];
        Value level = in;
        for (int l = 0; l < cs.scales; l++) {
            if (l > 0) level = e.averagePool2("level" + l, level);
            levels[l] = Level.of(e, "level" + l, level, size >> l, p, margin);
        }
        String indices = e.ints("patch_points", java.util.Arrays.stream(patchPoints).asLongStream().toArray());

        Shape meanShape = new Shape(1, 2L * k);
        Value cur = e.batchOf("mean_shape", e.g.initializer("mean_shape_1", meanShape.getShape(), net.meanShape()), meanShape, in);
        for (int t = 0; t < net.stageCount(); t++) {
            String st = "stage" + (t + 1);
            Value pts = e.reshape(st + "_points", cur, -1, k, 2);
            Value chosen = new Value(e.g.node("Gather", st + "_chosen", List.of(pts.name(), indices), OnnxGraph.Attr.i("axis", 1)),
                    new Shape(1, count, 2));
            Value cx = e.reshape(st + "_cx", e.slice(st + "_cx3", chosen, 2, 0, 1), -1, count);
            Value cy = e.reshape(st + "_cy", e.slice(st + "_cy3", chosen, 2, 1, 2), -1, count);
            Value[] perLevel = new Value[cs.scales];
            for (int l = 0; l < cs.scales; l++) perLevel[l] = levels[l].patches(e, st + "_level" + l, cx, cy, count);
            Value stacked = cs.scales == 1 ? perLevel[0] : e.concat(st + "_levels", 2, perLevel);          // (N, P, 3L, p, p)
            Value patches = e.reshape(st + "_patches", stacked, -1, 3L * cs.scales, p, p);
            cur = e.add(st + "_shape", cur, stage(e, net.stage(t), GraphEmitter.find(net, st).getKey() + "_", patches, count, k));
        }
        Value out = e.identity(OnnxExporter.OUTPUT, cur);
        e.output(out);
        e.metadata(spec, java.util.Map.of(), "float (N, " + 2 * k + ") x0, y0, x1, y1, ... in crop units (0..1), after all "
                + net.stageCount() + " stages (no early exit)");
        return e.toModel("cascade", OnnxExporter.OPSET);
    }

    /** One pyramid level of side {@code side}, zero-padded by {@code margin} and flattened per face: (N, 3 S' S'). */
    private record Level(Value flat, int side, int p, int margin, String window) {
        static Level of(GraphEmitter e, String name, Value x, int side, int p, int margin) {
            String pads = e.ints(name + "_pads", 0, 0, margin, margin, 0, 0, margin, margin);
            int padded = side + 2 * margin;
            Value y = new Value(e.g.node("Pad", name + "_padded", List.of(x.name(), pads, e.scalar(0f))), new Shape(1, 3, padded, padded));
            Value flat = e.reshape(name + "_flat", y, -1, 3L * padded * padded);
            // Offsets of the (p+1) x (p+1) window's pixels from its first, per channel, in the flat level.
            long[] o = new long[3 * (p + 1) * (p + 1)];
            for (int c = 0; c < 3; c++)
                for (int v = 0; v <= p; v++)
                    for (int u = 0; u <= p; u++) o[(c * (p + 1) + v) * (p + 1) + u] = ((long) c * padded + v) * padded + u;
            String window = e.g.initializer(name + "_window", new long[]{1, 1, 3, p + 1, p + 1}, o);
            return new Level(flat, side, p, margin, window);
        }

        /** The (N, P, 3, p, p) patches centred on (cx, cy) (N, P crop units). */
        Value patches(GraphEmitter e, String name, Value cx, Value cy, long count) {
            Value[] ax = axis(e, name + "_x", cx), ay = axis(e, name + "_y", cy);    // {clamped start (int64), fraction}
            OnnxGraph g = e.g;
            int padded = side + 2 * margin;
            String rowStart = g.node("Mul", name + "_rowstart", List.of(ay[0].name(), g.initializer(name + "_stride", new long[0], new long[]{padded})));
            String start = g.node("Add", name + "_start", List.of(rowStart, ax[0].name()));
            String start5 = g.node("Reshape", name + "_start5", List.of(start, e.ints(name + "_start5_shape", -1, count, 1, 1, 1)));
            String idx = g.node("Add", name + "_idx5", List.of(start5, window));
            String idxFlat = g.node("Reshape", name + "_idx", List.of(idx, e.ints(name + "_idx_shape", 0, -1)));
            String gathered = g.node("GatherElements", name + "_gathered", List.of(flat.name(), idxFlat), OnnxGraph.Attr.i("axis", 1));
            Value win = e.reshape(name + "_window", new Value(gathered, new Shape(1, count * 3 * (p + 1) * (p + 1))), -1, count, 3, p + 1, p + 1);
            Value a00 = e.slice(name + "_a00", e.slice(name + "_r0", win, 3, 0, p), 4, 0, p);
            Value a10 = e.slice(name + "_a10", e.slice(name + "_r0b", win, 3, 0, p), 4, 1, p + 1);
            Value a01 = e.slice(name + "_a01", e.slice(name + "_r1", win, 3, 1, p + 1), 4, 0, p);
            Value a11 = e.slice(name + "_a11", e.slice(name + "_r1b", win, 3, 1, p + 1), 4, 1, p + 1);
            Value fx = e.reshape(name + "_fx5", ax[1], -1, count, 1, 1, 1), fy = e.reshape(name + "_fy5", ay[1], -1, count, 1, 1, 1);
            Value gx = e.reshape(name + "_gx5", oneMinus(e, name + "_gx", ax[1]), -1, count, 1, 1, 1);
            Value gy = e.reshape(name + "_gy5", oneMinus(e, name + "_gy", ay[1]), -1, count, 1, 1, 1);
            // w00 * a00 + w10 * a10 + w01 * a01 + w11 * a11, the weights as the Java sampler forms them
            Value s = e.mul(name + "_t00", e.mul(name + "_w00", gx, gy), a00);
            s = e.add(name + "_s1", s, e.mul(name + "_t10", e.mul(name + "_w10", fx, gy), a10));
            s = e.add(name + "_s2", s, e.mul(name + "_t01", e.mul(name + "_w01", gx, fy), a01));
            return e.add(name + "_patch", s, e.mul(name + "_t11", e.mul(name + "_w11", fx, fy), a11));
        }

        /**
         * Along one axis: the window's first sample {@code c * side - p / 2}, its floor clamped to
         * [-margin, side] and moved into the padded level (int64), and its fractional part.
         */
        private Value[] axis(GraphEmitter e, String name, Value c) {
            OnnxGraph g = e.g;
            Value first = e.add(name + "_first", e.scale(name + "_px", c, side), new Value(e.scalar(-p / 2f), new Shape(1, 1)));
            Value floor = new Value(g.node("Floor", name + "_floor", List.of(first.name())), first.shape());
            Value frac = new Value(g.node("Sub", name + "_frac", List.of(first.name(), floor.name())), first.shape());
            String clamped = g.node("Clip", name + "_clamped", List.of(floor.name(), e.scalar(-margin), e.scalar(side)));
            String shifted = g.node("Add", name + "_shifted", List.of(clamped, e.scalar(margin)));
            Value start = new Value(g.node("Cast", name + "_start", List.of(shifted), OnnxGraph.Attr.i("to", OnnxGraph.INT64)), first.shape());
            return new Value[]{start, frac};
        }

        private static Value oneMinus(GraphEmitter e, String name, Value x) {
            return new Value(e.g.node("Sub", name, List.of(e.scalar(1f), x.name())), x.shape());
        }
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

package dev.lightmark.model.hourglass;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.lightmark.model.layers.Layers;

/**
 * The hourglass residual unit: 1x1 down to half the channels, 3x3, 1x1 back up, plus a
 * shortcut (a 1x1 projection when the channel count changes), then ReLU.
 */
public final class Bottleneck extends AbstractBlock {
    private final SequentialBlock body;
    private final SequentialBlock projection;
    private final int out;

    public Bottleneck(int in, int out) {
        super((byte) 1);
        this.out = out;
        int mid = Math.max(8, out / 2);
        SequentialBlock b = new SequentialBlock();
        b.add(Layers.convBn(mid, 1, 1, 0, true));
        b.add(Layers.convBn(mid, 3, 1, 1, true));
        b.add(Layers.convBn(out, 1, 1, 0, false));
        this.body = addChildBlock("body", b);
        this.projection = in == out ? null : addChildBlock("projection", Layers.convBn(out, 1, 1, 0, false));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray y = body.forward(ps, in, training, params).singletonOrThrow();
        NDArray skip = projection == null ? in.singletonOrThrow() : projection.forward(ps, in, training, params).singletonOrThrow();
        return new NDList(Activation.relu(y.add(skip)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        Shape s = in[0];
        return new Shape[]{new Shape(s.get(0), out, s.get(2), s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager m, DataType t, Shape... in) {
        body.initialize(m, t, in);
        if (projection != null) projection.initialize(m, t, in);
    }
}

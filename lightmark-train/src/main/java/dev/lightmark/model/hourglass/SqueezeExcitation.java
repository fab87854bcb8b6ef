package dev.lightmark.model.hourglass;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Squeeze-excitation (Hu et al., 2018): global average pool, 1x1 down, ReLU, 1x1 up, sigmoid,
 * and the result scales each channel. A channel gate only; position is left to
 * {@link CoordinateAttention}.
 */
public final class SqueezeExcitation extends AbstractBlock {
    private final Block down;
    private final Block up;
    private final int mid;

    /** {@code reduction}: the hidden layer has max(8, channels / reduction) channels. */
    public SqueezeExcitation(int channels, int reduction) {
        super((byte) 1);
        this.mid = Math.max(8, channels / reduction);
        this.down = addChildBlock("down", CoordinateAttention.conv1x1(mid));
        this.up = addChildBlock("up", CoordinateAttention.conv1x1(channels));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray x = in.singletonOrThrow();
        NDArray pooled = x.mean(new int[]{3}, true).mean(new int[]{2}, true);   // (N, C, 1, 1)
        NDArray h = Activation.relu(down.forward(ps, new NDList(pooled), training, params).singletonOrThrow());
        NDArray gate = Activation.sigmoid(up.forward(ps, new NDList(h), training, params).singletonOrThrow());
        return new NDList(x.mul(gate));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) { return in; }

    @Override
    protected void initializeChildBlocks(NDManager m, DataType t, Shape... in) {
        long n = in[0].get(0), c = in[0].get(1);
        down.initialize(m, t, new Shape(n, c, 1, 1));
        up.initialize(m, t, new Shape(n, mid, 1, 1));
    }
}

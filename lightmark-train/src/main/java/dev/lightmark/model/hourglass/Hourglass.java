package dev.lightmark.model.hourglass;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One hourglass module (Newell et al., 2016), recursive in depth: a skip branch at this
 * resolution, and a branch that max-pools to half size, runs a residual, an inner hourglass (or
 * a residual at the bottom) and another residual. The low branch is gated by coordinate attention
 * and/or squeeze-excitation before it is upsampled (nearest, x2), then the two branches are fused
 * by addition. Channels stay constant; the output has the input's shape.
 */
public final class Hourglass extends AbstractBlock {
    private final Block skip;
    private final Block down;
    private final Block inner;
    private final Block up;
    private final Block coordAttention;
    private final Block squeezeExcitation;
    private final int depth;

    public Hourglass(int depth, int channels, HourglassNet.Options options) {
        super((byte) 1);
        if (depth < 1) throw new IllegalArgumentException("hourglass depth must be at least 1, not " + depth);
        this.depth = depth;
        skip = addChildBlock("skip", new Bottleneck(channels, channels));
        down = addChildBlock("down", new Bottleneck(channels, channels));
        inner = addChildBlock("inner", depth > 1 ? new Hourglass(depth - 1, channels, options) : new Bottleneck(channels, channels));
        up = addChildBlock("up", new Bottleneck(channels, channels));
        coordAttention = options.coordAttention() ? addChildBlock("ca", new CoordinateAttention(channels, 32)) : null;
        squeezeExcitation = options.squeezeExcitation() ? addChildBlock("se", new SqueezeExcitation(channels, 16)) : null;
    }

    public int depth() { return depth; }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray high = skip.forward(ps, in, training, params).singletonOrThrow();
        NDList low = new NDList(halve(in.singletonOrThrow()));
        low = down.forward(ps, low, training, params);
        low = inner.forward(ps, low, training, params);
        low = up.forward(ps, low, training, params);
        if (coordAttention != null) low = coordAttention.forward(ps, low, training, params);
        if (squeezeExcitation != null) low = squeezeExcitation.forward(ps, low, training, params);
        return new NDList(high.add(doubleSize(low.singletonOrThrow())));
    }

    static NDArray halve(NDArray x) {
        return Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
    }

    /** Nearest-neighbour x2 upsampling: every value repeated along both spatial axes. */
    static NDArray doubleSize(NDArray x) { return x.repeat(2, 2).repeat(3, 2); }

    @Override
    public Shape[] getOutputShapes(Shape[] in) { return in; }

    @Override
    protected void initializeChildBlocks(NDManager m, DataType t, Shape... in) {
        Shape s = in[0];
        if (s.get(2) % 2 != 0 || s.get(3) % 2 != 0)
            throw new IllegalArgumentException("hourglass level of depth " + depth + " needs an even size, got " + s);
        Shape half = new Shape(s.get(0), s.get(1), s.get(2) / 2, s.get(3) / 2);
        skip.initialize(m, t, s);
        down.initialize(m, t, half);
        inner.initialize(m, t, half);
        up.initialize(m, t, half);
        if (coordAttention != null) coordAttention.initialize(m, t, half);
        if (squeezeExcitation != null) squeezeExcitation.initialize(m, t, half);
    }
}

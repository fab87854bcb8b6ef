package dev.lightmark.model.hourglass;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.lightmark.model.layers.Layers;
import dev.lightmark.model.layers.Scalars;

/**
 * Coordinate attention (Hou et al., 2021). Unlike squeeze-excitation, which pools a channel to
 * one number, it pools along each axis separately, keeping where along the other axis a feature
 * is: a (C, H) and a (C, W) profile go through one shared 1x1 conv + BN + h-swish, are split
 * again, and each becomes per-row and per-column sigmoid gates. Useful for landmarks, whose
 * positions are what the network must output.
 */
public final class CoordinateAttention extends AbstractBlock {
    private final SequentialBlock shared;
    private final Block toH;
    private final Block toW;
    private final int mid;

    /** {@code reduction}: the shared layer has max(8, channels / reduction) channels. */
    public CoordinateAttention(int channels, int reduction) {
        super((byte) 1);
        this.mid = Math.max(8, channels / reduction);
        SequentialBlock s = new SequentialBlock();
        s.add(Layers.convBn(mid, 1, 1, 0, false));
        s.add(CoordinateAttention::hardSwish);
        this.shared = addChildBlock("shared", s);
        this.toH = addChildBlock("toH", conv1x1(channels));
        this.toW = addChildBlock("toW", conv1x1(channels));
    }

    static Block conv1x1(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(filters).build();
    }

    /** x * relu6(x + 3) / 6, the paper's activation. */
    private static NDList hardSwish(NDList in) {
        NDArray x = in.singletonOrThrow();
        return new NDList(Scalars.div(x.mul(x.add(3f).clip(0f, 6f)), 6f));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray x = in.singletonOrThrow();
        long h = x.getShape().get(2), w = x.getShape().get(3);
        NDArray alongH = x.mean(new int[]{3}, true);                          // (N, C, H, 1)
        NDArray alongW = x.mean(new int[]{2}, true).transpose(0, 1, 3, 2);    // (N, C, W, 1)
        NDArray y = shared.forward(ps, new NDList(alongH.concat(alongW, 2)), training, params).singletonOrThrow();
        NDList parts = y.split(new long[]{h}, 2);
        NDArray gateH = Activation.sigmoid(toH.forward(ps, new NDList(parts.get(0)), training, params).singletonOrThrow());
        NDArray gateW = Activation.sigmoid(toW.forward(ps, new NDList(parts.get(1)), training, params).singletonOrThrow())
                .transpose(0, 1, 3, 2);                                          // (N, C, 1, W)
        return new NDList(x.mul(gateH).mul(gateW));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) { return in; }

    @Override
    protected void initializeChildBlocks(NDManager m, DataType t, Shape... in) {
        Shape s = in[0];
        long n = s.get(0), c = s.get(1), h = s.get(2), w = s.get(3);
        shared.initialize(m, t, new Shape(n, c, h + w, 1));
        toH.initialize(m, t, new Shape(n, mid, h, 1));
        toW.initialize(m, t, new Shape(n, mid, w, 1));
    }
}

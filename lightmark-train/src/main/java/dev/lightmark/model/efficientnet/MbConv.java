package dev.lightmark.model.efficientnet;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import dev.lightmark.model.layers.Layers;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * EfficientNet's mobile inverted bottleneck: 1x1 expansion (skipped at ratio 1), k x k depthwise,
 * squeeze-excitation on a quarter of the input width, linear 1x1 projection; swish activations and
 * an identity shortcut when the shape is kept.
 */
public class MbConv extends AbstractBlock {
    private final SequentialBlock body;
    private final boolean shortcut;

    public MbConv(int in, int out, int kernel, int stride, int expansion) {
        super((byte) 1);
        int hidden = in * expansion;
        SequentialBlock b = new SequentialBlock();
        if (expansion != 1) b.add(convBnSwish(hidden, 1, 1, 1, true));
        b.add(convBnSwish(hidden, kernel, stride, hidden, true));
        b.add(new SqueezeExcite(hidden, Math.max(1, in / 4)));
        b.add(convBnSwish(out, 1, 1, 1, false));
        body = addChildBlock("body", b);
        shortcut = stride == 1 && in == out;
    }

    /** k x k convolution without bias, batch norm, optional swish; "same" padding. */
    static SequentialBlock convBnSwish(int filters, int kernel, int stride, int groups, boolean swish) {
        SequentialBlock b = new SequentialBlock();
        b.add(Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .optGroups(groups)
                .setFilters(filters)
                .optBias(false)
                .build());
        b.add(BatchNorm.builder().build());
        if (swish) b.add(Layers.swishBlock());
        return b;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDList y = body.forward(ps, in, training, params);
        return shortcut ? new NDList(y.singletonOrThrow().add(in.singletonOrThrow())) : y;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) { return body.getOutputShapes(inputs); }

    @Override
    protected void initializeChildBlocks(NDManager m, DataType t, Shape... in) {
        body.initialize(m, t, in);
    }
}

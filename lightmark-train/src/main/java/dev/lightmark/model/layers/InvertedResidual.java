package dev.lightmark.model.layers;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * MobileNetV2 inverted residual: 1x1 expand, 3x3 depthwise, 1x1 linear projection, with an
 * identity shortcut when the shape is kept.
 */
public class InvertedResidual extends AbstractBlock {
    private final SequentialBlock body;
    private final boolean shortcut;

    public InvertedResidual(int in, int out, int stride, int expansion) {
        super((byte) 1);
        int hidden = in * expansion;
        SequentialBlock b = new SequentialBlock();
        b.add(Layers.convBn(hidden, 1, 1, 0, true));
        b.add(Layers.depthwise(hidden, stride));
        b.add(Layers.convBn(out, 1, 1, 0, false));
        this.body = addChildBlock("body", b);
        this.shortcut = stride == 1 && in == out;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDList y = body.forward(ps, in, training, params);
        return shortcut ? new NDList(y.singletonOrThrow().add(in.singletonOrThrow())) : y;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) { return body.getOutputShapes(inputs); }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, inputShapes);
    }

    /** A stage of {@code n} blocks: the first changes width/stride, the rest keep them. */
    public static SequentialBlock stage(int in, int out, int stride, int expansion, int n) {
        SequentialBlock s = new SequentialBlock();
        s.add(new InvertedResidual(in, out, stride, expansion));
        for (int i = 1; i < n; i++) s.add(new InvertedResidual(out, out, 1, expansion));
        return s;
    }
}

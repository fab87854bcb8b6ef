package dev.lightmark.model.efficientnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import dev.lightmark.model.layers.Layers;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Squeeze-and-excitation (Hu et al. 2018): per-channel gates from the globally pooled
 * features, through a bottleneck of {@code squeezed} channels.
 */
public class SqueezeExcite extends AbstractBlock {
    private final Block reduce;
    private final Block expand;

    public SqueezeExcite(int channels, int squeezed) {
        super((byte) 1);
        reduce = addChildBlock("reduce", conv1x1(squeezed));
        expand = addChildBlock("expand", conv1x1(channels));
    }

    private static Block conv1x1(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(filters).build();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray x = in.singletonOrThrow();
        NDArray s = x.mean(new int[]{3}, true).mean(new int[]{2}, true);
        s = Layers.swish(reduce.forward(ps, new NDList(s), training, params).singletonOrThrow());
        s = Activation.sigmoid(expand.forward(ps, new NDList(s), training, params).singletonOrThrow());
        return new NDList(x.mul(s));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) { return inputs; }

    @Override
    protected void initializeChildBlocks(NDManager m, DataType t, Shape... in) {
        Shape pooled = new Shape(in[0].get(0), in[0].get(1), 1, 1);
        reduce.initialize(m, t, pooled);
        expand.initialize(m, t, reduce.getOutputShapes(new Shape[]{pooled}));
    }
}

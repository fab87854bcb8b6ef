package dev.lightmark.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;

/** Small builders for the convolution patterns that the networks repeat. */
public final class Layers {
    private Layers() {}

    /** k x k convolution (groups = 1, no bias) + batch norm, optionally followed by ReLU. */
    public static SequentialBlock convBn(int filters, int kernel, int stride, int padding, boolean relu) {
        return convBn(filters, kernel, stride, padding, 1, relu);
    }

    public static SequentialBlock convBn(int filters, int kernel, int stride, int padding, int groups, boolean relu) {
        SequentialBlock b = new SequentialBlock();
        b.add(Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optGroups(groups)
                .setFilters(filters)
                .optBias(false)
                .build());
        b.add(BatchNorm.builder().build());
        if (relu) b.add(Activation::relu);
        return b;
    }

    /** Depthwise 3x3 (one filter per channel) + batch norm + ReLU. */
    public static SequentialBlock depthwise(int channels, int stride) {
        return convBn(channels, 3, stride, 1, channels, true);
    }

    public static Block relu() { return Activation.reluBlock(); }

    /**
     * Swish x * sigmoid(x) without a scalar constant: DJL's own swish multiplies by beta through
     * {@code mul(Number)}, which autograd cannot use safely (see {@link Scalars}).
     */
    public static NDArray swish(NDArray x) { return x.mul(Activation.sigmoid(x)); }

    public static Block swishBlock() { return new LambdaBlock(in -> new NDList(swish(in.singletonOrThrow()))); }
}

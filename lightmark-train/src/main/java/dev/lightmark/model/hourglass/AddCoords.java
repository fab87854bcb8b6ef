package dev.lightmark.model.hourglass;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The CoordConv input step (Liu et al., 2018): appends two channels holding each pixel's x and y
 * centre, scaled to [-1, 1], so the following convolution can tell where in the crop it is.
 * Heatmap regression is translation-equivariant without it; landmarks of an aligned face crop
 * are not, so position is a useful input. No parameters.
 */
public final class AddCoords extends AbstractBlock {
    public AddCoords() { super((byte) 1); }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray x = in.singletonOrThrow();
        Shape s = x.getShape();
        long n = s.get(0);
        int h = (int) s.get(2), w = (int) s.get(3);
        NDManager m = x.getManager();
        NDArray xs = m.create(centres(w), new Shape(1, 1, 1, w)).broadcast(n, 1, h, w);
        NDArray ys = m.create(centres(h), new Shape(1, 1, h, 1)).broadcast(n, 1, h, w);
        return new NDList(x.concat(xs, 1).concat(ys, 1));
    }

    /** Pixel centres (i + 0.5) / n mapped to [-1, 1]. */
    private static float[] centres(int n) {
        float[] c = new float[n];
        for (int i = 0; i < n; i++) c[i] = 2f * (i + 0.5f) / n - 1f;
        return c;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        Shape s = in[0];
        return new Shape[]{new Shape(s.get(0), s.get(1) + 2, s.get(2), s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {}
}

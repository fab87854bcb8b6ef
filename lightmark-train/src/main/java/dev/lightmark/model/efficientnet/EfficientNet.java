package dev.lightmark.model.efficientnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.lightmark.model.layers.MeanShapeHead;

/**
 * EfficientNet (Tan and Le, 2019) as a landmark regressor, the teacher network of KD-Loss.
 * The B0 stage table scaled by a width and a depth multiplier (B3 is width 1.2, depth 1.4).
 *
 * <p>Unlike the classifier, the head does not pool globally: the last feature map (4x4 at a
 * 112 input) is flattened into the fully connected layer, because where a feature lies matters
 * for coordinates. Input (N, 3, S, S) in [-1, 1]; output (N, 2K) in crop units (0..1).
 */
public class EfficientNet extends AbstractBlock implements MeanShapeHead {
    /** B0 stages: expansion, kernel, stride, output channels, repeats. */
    private static final int[][] STAGES = {
            {1, 3, 1, 16, 1}, {6, 3, 2, 24, 2}, {6, 5, 2, 40, 2}, {6, 3, 2, 80, 3},
            {6, 5, 1, 112, 3}, {6, 5, 2, 192, 4}, {6, 3, 1, 320, 1}};

    private final int points;
    private final Block features;
    private final Block head;

    public EfficientNet(int points, float width, float depth) {
        super((byte) 1);
        this.points = points;
        SequentialBlock f = new SequentialBlock();
        int in = channels(32, width);
        f.add(MbConv.convBnSwish(in, 3, 2, 1, true));
        for (int[] st : STAGES) {
            int out = channels(st[3], width);
            int repeats = (int) Math.ceil(st[4] * depth);
            for (int r = 0; r < repeats; r++) {
                f.add(new MbConv(in, out, st[1], r == 0 ? st[2] : 1, st[0]));
                in = out;
            }
        }
        // A narrower 1x1 than the classifier's 1280, since the map is flattened after it.
        f.add(MbConv.convBnSwish(channels(320, width), 1, 1, 1, true));
        features = addChildBlock("features", f);
        head = addChildBlock("head", Linear.builder().setUnits(2L * points).build());
    }

    /** Width scaling as in the paper: to a multiple of 8, never more than 10 % below. */
    static int channels(int c, float width) {
        double scaled = c * width;
        int r = Math.max(8, (int) (scaled + 4) / 8 * 8);
        if (r < 0.9 * scaled) r += 8;
        return r;
    }

    public int points() { return points; }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray f = features.forward(ps, in, training, params).singletonOrThrow();
        NDArray flat = f.reshape(f.getShape().get(0), -1);
        return head.forward(ps, new NDList(flat), training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[]{new Shape(inputs[0].get(0), 2L * points)};
    }

    @Override
    protected void initializeChildBlocks(NDManager m, DataType t, Shape... in) {
        features.initialize(m, t, in);
        Shape f = features.getOutputShapes(in)[0];
        head.initialize(m, t, new Shape(f.get(0), f.get(1) * f.get(2) * f.get(3)));
    }

    @Override
    public void setMeanShape(float[] meanShape) { MeanShapeHead.setLinear(head, meanShape); }
}

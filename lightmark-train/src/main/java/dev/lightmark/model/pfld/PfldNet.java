package dev.lightmark.model.pfld;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.lightmark.model.layers.Layers;

/**
 * PFLD (Guo et al., 2019): a MobileNetV2 backbone and a multi-scale fully connected head over
 * pooled 14x14 (S1) and 7x7 (S2) features and a 1x1 conv feature (S3). During training it also
 * runs the auxiliary network on the 28x28 features to predict yaw, pitch and roll.
 *
 * <p>Input: (N, 3, 112, 112) floats in [-1, 1]. Output: (N, 2K) landmark coordinates in units
 * of the crop side (0..1), plus (N, 3) angles in radians when called with training = true.
 * The width multiplier scales the backbone; the head keeps the paper's 16/32/128 channels.
 */
public class PfldNet extends AbstractBlock implements dev.lightmark.model.layers.MeanShapeHead {
    public static final int INPUT = 112;

    private final int points;
    private final float width;
    private final Block stem;
    private final Block stage28;
    private final Block stage14;
    private final Block toS2;
    private final Block toS3;
    private final Block head;
    private final Block aux;

    public PfldNet(int points, float width) {
        super((byte) 1);
        this.points = points;
        this.width = width;
        stem = addChildBlock("stem", PfldTrunk.stem(width));                            // 56x56
        stage28 = addChildBlock("stage28", PfldTrunk.stage28(width));                   // 28x28
        // S1 is part of this net's stage14 block (the TSAL net keeps it apart): the model files' layout.
        stage14 = addChildBlock("stage14", PfldTrunk.stage14(width).add(PfldTrunk.toS1(width)));  // 14x14, S1
        toS2 = addChildBlock("toS2", PfldTrunk.toS2());                                 // 7x7
        toS3 = addChildBlock("toS3", PfldTrunk.toS3());                                 // 1x1
        head = addChildBlock("head", Linear.builder().setUnits(2L * points).build());

        SequentialBlock a = new SequentialBlock();
        a.add(Layers.convBn(128, 3, 2, 1, true));   // 14x14
        a.add(Layers.convBn(128, 3, 1, 1, true));
        a.add(Layers.convBn(32, 3, 2, 1, true));    // 7x7
        a.add(Layers.convBn(128, 7, 1, 0, true));   // 1x1
        a.add(Blocks.batchFlattenBlock());
        a.add(Linear.builder().setUnits(32).build());
        a.add(Layers.relu());
        a.add(Linear.builder().setUnits(3).build());
        aux = addChildBlock("aux", a);
    }

    public int points() { return points; }
    public float width() { return width; }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDList f28 = stage28.forward(ps, stem.forward(ps, in, training, params), training, params);
        NDList s1 = stage14.forward(ps, f28, training, params);
        NDList s2 = toS2.forward(ps, s1, training, params);
        NDList s3 = toS3.forward(ps, s2, training, params);
        NDArray lm = head.forward(ps, new NDList(PfldTrunk.features(s1, s2, s3)), training, params).singletonOrThrow();
        if (!training) return new NDList(lm);
        NDArray angles = aux.forward(ps, f28, training, params).singletonOrThrow();
        return new NDList(lm, angles);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        long n = inputs[0].get(0);
        return new Shape[]{new Shape(n, 2L * points)};
    }

    @Override
    protected void initializeChildBlocks(NDManager m, DataType t, Shape... in) {
        stem.initialize(m, t, in);
        Shape[] s = stem.getOutputShapes(in);
        stage28.initialize(m, t, s);
        Shape[] f28 = stage28.getOutputShapes(s);
        aux.initialize(m, t, f28);
        stage14.initialize(m, t, f28);
        Shape[] s1 = stage14.getOutputShapes(f28);
        toS2.initialize(m, t, s1);
        Shape[] s2 = toS2.getOutputShapes(s1);
        toS3.initialize(m, t, s2);
        head.initialize(m, t, new Shape(in[0].get(0), PfldTrunk.FEATURES));
    }

    @Override
    public void setMeanShape(float[] meanShape) { dev.lightmark.model.layers.MeanShapeHead.setLinear(head, meanShape); }
}

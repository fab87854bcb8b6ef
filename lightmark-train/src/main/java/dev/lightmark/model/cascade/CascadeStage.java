package dev.lightmark.model.cascade;

import dev.lightmark.model.layers.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.lightmark.model.layers.MultAdds;
import dev.lightmark.model.layers.Layers;

/**
 * One cascade stage. Input: the patches of B faces, (B * P, 3 * levels, p, p). A small patch
 * network shared by all patches embeds each one; an attention MLP gives each patch a weight in
 * (0, 1) from its own embedding; the weighted embeddings, concatenated in landmark order, feed
 * a linear regressor of the 2K-D shape update (crop units); their attention-weighted mean feeds an
 * error head that predicts the NME of the updated shape.
 *
 * <p>Outputs: update (B, 2K), predicted error (B), attention weights (B, P). The error head reads
 * the features with the gradient stopped, so learning to predict the error never pulls the
 * features away from regressing the shape.
 */
public final class CascadeStage extends AbstractBlock {
    private final int patchCount;
    private final int points;
    private final int embedding;
    private final float featureScale;
    private final Block patchNet;
    private final Block attention;
    private final Block regressor;
    private final Block errorHead;

    public CascadeStage(CascadeSpec spec, int points) {
        super((byte) 1);
        this.patchCount = spec.patchPoints().length;
        this.points = points;
        this.embedding = spec.embedding;
        this.featureScale = (float) (1 / Math.sqrt(patchCount));
        SequentialBlock net = new SequentialBlock();
        for (int c : spec.channels) net.add(Layers.convBn(c, 3, 2, 1, true));
        net.add(Blocks.batchFlattenBlock());
        net.add(Linear.builder().setUnits(spec.embedding).build());
        // Normalised and signed (no ReLU): with features that are all >= 0, every weight of an output
        // gets a gradient of the same sign, Adam moves them together and the update oscillated wildly.
        net.add(BatchNorm.builder().build());
        patchNet = addChildBlock("patchNet", net);

        SequentialBlock att = new SequentialBlock();
        att.add(Linear.builder().setUnits(spec.attentionHidden).build());
        att.add(Activation::relu);
        att.add(Linear.builder().setUnits(1).build());
        attention = addChildBlock("attention", att);

        regressor = addChildBlock("regressor", Linear.builder().setUnits(2L * points).build());

        SequentialBlock err = new SequentialBlock();
        err.add(Linear.builder().setUnits(spec.errorHidden).build());
        err.add(Activation::relu);
        err.add(Linear.builder().setUnits(1).build());
        errorHead = addChildBlock("errorHead", err);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray e = patchNet.forward(ps, in, training, params).singletonOrThrow();              // (B*P, E)
        NDArray w = Activation.sigmoid(attention.forward(ps, new NDList(e), training, params).singletonOrThrow()); // (B*P, 1)
        // Scaled by 1/sqrt(P): with P*E inputs, Adam's equal-sized weight steps would otherwise move
        // the update P times more per step than a head over one embedding, and training oscillated.
        NDArray f = Scalars.mul(e.mul(w), featureScale).reshape(-1, (long) patchCount * embedding);      // (B, P*E)
        NDArray update = regressor.forward(ps, new NDList(f), training, params).singletonOrThrow();
        // The error head reads the attention-weighted mean embedding: a small fan-in keeps it stable.
        NDArray pooled = e.mul(w).reshape(-1, patchCount, embedding).mean(new int[]{1}).stopGradient();   // (B, E)
        NDArray err = errorHead.forward(ps, new NDList(pooled), training, params).singletonOrThrow();
        return new NDList(update, err.reshape(-1), w.reshape(-1, patchCount));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        long b = inputs[0].get(0) / patchCount;
        return new Shape[]{new Shape(b, 2L * points), new Shape(b), new Shape(b, patchCount)};
    }

    @Override
    protected void initializeChildBlocks(NDManager m, DataType t, Shape... in) {
        patchNet.initialize(m, t, in);
        Shape e = patchNet.getOutputShapes(in)[0];
        attention.initialize(m, t, e);
        long b = in[0].get(0) / patchCount;
        regressor.initialize(m, t, new Shape(b, (long) patchCount * embedding));
        errorHead.initialize(m, t, new Shape(b, embedding));
    }

    /** Starts the regressor near a zero update, so an untrained stage leaves the shape alone. */
    public void shrinkRegressor(float factor) {
        regressor.getParameters().get("weight").getArray().muli(factor);
        regressor.getParameters().get("bias").getArray().muli(0f);
    }

    /** Mult-adds for one face: patch network and attention once per patch, the heads once. */
    public long multAdds() {
        return patchCount * (MultAdds.perRow(patchNet) + MultAdds.perRow(attention))
                + MultAdds.perRow(regressor) + MultAdds.perRow(errorHead);
    }

    public int patchCount() { return patchCount; }
}

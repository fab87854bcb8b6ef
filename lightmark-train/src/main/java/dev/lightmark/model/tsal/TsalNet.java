package dev.lightmark.model.tsal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.lightmark.heatmap.GaussianHeatmaps;
import dev.lightmark.infer.TwoHeadDecoder;
import dev.lightmark.heatmap.HeatmapEncoding;
import dev.lightmark.model.layers.Layers;
import dev.lightmark.model.pfld.PfldTrunk;

/**
 * Two-head landmark network for teacher-student training: PFLD's MobileNetV2 trunk, then
 * <ul>
 *   <li>head A: heatmaps at a quarter of the input (28x28 for 112), from the 14x14 features
 *       doubled and joined with the 28x28 ones, decoded with {@link GaussianHeatmaps};</li>
 *   <li>head B: PFLD's multi-scale fully connected head predicting the face centre (2) and each
 *       point's offset from it (2K), in crop units.</li>
 * </ul>
 * The two heads see the face differently (local peaks vs. a global shape), so where they agree the
 * point is likely right; that is what the pseudo-labels and the fused prediction rely on.
 *
 * <p>Training forward: (heatmaps (N,K,h,h), centre (N,2), points of head B (N,2K)). Inference
 * forward: (fused points (N,2K), heatmap points (N,2K), head B points (N,2K)), all in crop units,
 * so {@code LandmarkPredictor} reads it like PFLD.
 */
public class TsalNet extends AbstractBlock implements dev.lightmark.model.MeanShapeHead {
    public static final int INPUT = 112;
    private static final int HEAD_CHANNELS = 48;

    private final int points;
    private final float sigma;
    private final float agreement;
    private final Block stem, stage28, stage14, toS1, toS2, toS3, fc;
    private final Block lateral, heatmapHead;

    public TsalNet(int points, float width, float sigma, float agreement) {
        super((byte) 1);
        this.points = points;
        this.sigma = sigma;
        this.agreement = agreement;
        int c64 = PfldTrunk.channels(64, width);
        stem = addChildBlock("stem", PfldTrunk.stem(width));            // 56x56
        stage28 = addChildBlock("stage28", PfldTrunk.stage28(width));   // 28x28
        stage14 = addChildBlock("stage14", PfldTrunk.stage14(width));   // 14x14
        // Head B (PFLD's head): S1 14x14, S2 7x7, S3 1x1, pooled and joined.
        toS1 = addChildBlock("toS1", PfldTrunk.toS1(width));
        toS2 = addChildBlock("toS2", PfldTrunk.toS2());
        toS3 = addChildBlock("toS3", PfldTrunk.toS3());
        fc = addChildBlock("centreOffsets", Linear.builder().setUnits(2L + 2L * points).build());
        // Head A: 14x14 features doubled + 28x28 features -> K maps.
        lateral = addChildBlock("lateral", Layers.convBn(HEAD_CHANNELS, 1, 1, 0, true));
        SequentialBlock h = new SequentialBlock();
        h.add(Layers.depthwise(HEAD_CHANNELS + c64, 1));
        h.add(Layers.convBn(HEAD_CHANNELS, 1, 1, 0, true));
        h.add(Layers.depthwise(HEAD_CHANNELS, 1));
        h.add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(points).build());
        heatmapHead = addChildBlock("heatmaps", h);
    }

    public int points() { return points; }
    public float sigma() { return sigma; }
    public float agreement() { return agreement; }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDList f28 = stage28.forward(ps, stem.forward(ps, in, training, params), training, params);
        NDList f14 = stage14.forward(ps, f28, training, params);
        NDList s1 = toS1.forward(ps, f14, training, params);
        NDList s2 = toS2.forward(ps, s1, training, params);
        NDList s3 = toS3.forward(ps, s2, training, params);
        NDArray out = fc.forward(ps, new NDList(PfldTrunk.features(s1, s2, s3)), training, params).singletonOrThrow();
        // The centre starts at the crop centre; offsets are relative to it.
        NDArray centre = out.get(new NDIndex(":, 0:2")).add(0.5f);
        NDArray offsets = out.get(new NDIndex(":, 2:"));
        long n = out.getShape().get(0);
        NDArray pts = offsets.reshape(n, points, 2).add(centre.reshape(n, 1, 2)).reshape(n, 2L * points);

        NDArray up = lateral.forward(ps, f14, training, params).singletonOrThrow().repeat(2, 2).repeat(3, 2);
        NDArray joined = NDArrays.concat(new NDList(up, f28.singletonOrThrow()), 1);
        NDArray maps = heatmapHead.forward(ps, new NDList(joined), training, params).singletonOrThrow();
        if (training) return new NDList(maps, centre, pts);

        TwoHeadDecoder.Heads heads = decoder().decode(maps.toFloatArray(), maps.getShape().getShape(), pts.toFloatArray());
        NDManager m = out.getManager();
        Shape shape = new Shape(n, 2L * points);
        return new NDList(m.create(heads.fused(), shape), m.create(heads.heatmapPoints(), shape),
                m.create(heads.regressionPoints(), shape));
    }

    /** How this net's two heads become points: the decoder its ONNX export names too. */
    public TwoHeadDecoder decoder() { return new TwoHeadDecoder(sigma, HeatmapEncoding.OFFSET, agreement); }

    /** The two-head agreement rule ({@link TwoHeadDecoder#fuse}). */
    public static float[] fuse(float[] a, float[] b, int n, int k, float tau, boolean[] agree) {
        return TwoHeadDecoder.fuse(a, b, n, k, tau, agree);
    }

    /** Starts head B at the mean shape (crop units): centre bias = its centroid, offset biases = the rest. */
    @Override
    public void setMeanShape(float[] meanShape) {
        int k = meanShape.length / 2;
        float cx = 0, cy = 0;
        for (int i = 0; i < k; i++) {
            cx += meanShape[2 * i] / k;
            cy += meanShape[2 * i + 1] / k;
        }
        float[] bias = new float[2 + 2 * k];
        bias[0] = cx - 0.5f;
        bias[1] = cy - 0.5f;
        for (int i = 0; i < k; i++) {
            bias[2 + 2 * i] = meanShape[2 * i] - cx;
            bias[3 + 2 * i] = meanShape[2 * i + 1] - cy;
        }
        dev.lightmark.model.MeanShapeHead.setLinear(fc, bias);
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
        stage14.initialize(m, t, f28);
        Shape[] f14 = stage14.getOutputShapes(f28);
        toS1.initialize(m, t, f14);
        Shape[] s1 = toS1.getOutputShapes(f14);
        toS2.initialize(m, t, s1);
        Shape[] s2 = toS2.getOutputShapes(s1);
        toS3.initialize(m, t, s2);
        fc.initialize(m, t, new Shape(in[0].get(0), PfldTrunk.FEATURES));
        lateral.initialize(m, t, f14);
        Shape l = lateral.getOutputShapes(f14)[0];
        Shape up = new Shape(l.get(0), l.get(1), l.get(2) * 2, l.get(3) * 2);
        heatmapHead.initialize(m, t, new Shape(up.get(0), up.get(1) + f28[0].get(1), up.get(2), up.get(3)));
        // Maps start near zero: a random start costs many steps of only erasing noise.
        Block last = ((SequentialBlock) heatmapHead).getChildren().get(3).getValue();
        last.getParameters().get("weight").getArray().muli(0.01f);
    }
}

package dev.lightmark.model.hourglass;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.lightmark.model.layers.Layers;

import java.util.ArrayList;
import java.util.List;

/**
 * A light stacked hourglass for heatmap regression.
 *
 * <p>Stem: [CoordConv coordinates] 3x3 stride-2 conv to channels/2, 2x2 max pool, two residuals
 * to {@code channels}, so features are at 1/4 of the input. Then {@code stacks} hourglasses;
 * after each, a residual and a 1x1 conv give features and a 1x1 conv gives K heatmaps. Between
 * stacks, the features and the heatmaps are mapped back by 1x1 convs and added to the stack's
 * input (intermediate supervision: every stack's heatmaps get a loss during training).
 *
 * <p>Input (N, 3, S, S) in [-1, 1], S divisible by 4 * 2^depth (128 and 256 work for depth <= 5).
 * Output: (N, K, S/4, S/4) heatmaps of the last stack; with training = true, one such array per
 * stack, first to last.
 */
public final class HourglassNet extends AbstractBlock {
    /** Optional parts. */
    public record Options(boolean coordConv, boolean coordAttention, boolean squeezeExcitation) {
        public static final Options ALL = new Options(true, true, true);
        public static final Options NONE = new Options(false, false, false);
    }

    private final int stacks;
    private final int depth;
    private final int channels;
    private final int points;
    private final Options options;
    private final Block coords;
    private final Block stem;
    private final List<Block> hourglasses = new ArrayList<>();
    private final List<Block> features = new ArrayList<>();
    private final List<Block> heads = new ArrayList<>();
    private final List<Block> featuresBack = new ArrayList<>();
    private final List<Block> heatmapsBack = new ArrayList<>();

    public HourglassNet(int stacks, int depth, int channels, int points, Options options) {
        super((byte) 1);
        if (stacks < 1) throw new IllegalArgumentException("stacks must be at least 1, not " + stacks);
        if (channels < 16 || channels % 2 != 0) throw new IllegalArgumentException("channels must be even and >= 16, not " + channels);
        this.stacks = stacks;
        this.depth = depth;
        this.channels = channels;
        this.points = points;
        this.options = options;
        coords = options.coordConv() ? addChildBlock("coords", new AddCoords()) : null;
        SequentialBlock s = new SequentialBlock();
        s.add(Layers.convBn(channels / 2, 3, 2, 1, true));
        s.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        s.add(new Bottleneck(channels / 2, channels));
        s.add(new Bottleneck(channels, channels));
        stem = addChildBlock("stem", s);
        for (int i = 0; i < stacks; i++) {
            hourglasses.add(addChildBlock("hourglass" + i, new Hourglass(depth, channels, options)));
            SequentialBlock f = new SequentialBlock();
            f.add(new Bottleneck(channels, channels));
            f.add(Layers.convBn(channels, 1, 1, 0, true));
            features.add(addChildBlock("features" + i, f));
            heads.add(addChildBlock("heatmaps" + i, conv1x1(points)));
            if (i < stacks - 1) {
                featuresBack.add(addChildBlock("featuresBack" + i, conv1x1(channels)));
                heatmapsBack.add(addChildBlock("heatmapsBack" + i, conv1x1(channels)));
            }
        }
    }

    private static Block conv1x1(int filters) { return CoordinateAttention.conv1x1(filters); }

    public int stacks() { return stacks; }
    public int depth() { return depth; }
    public int channels() { return channels; }
    public int points() { return points; }
    public Options options() { return options; }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDList x = coords == null ? in : coords.forward(ps, in, training, params);
        x = stem.forward(ps, x, training, params);
        NDList out = new NDList();
        for (int i = 0; i < stacks; i++) {
            NDList hg = hourglasses.get(i).forward(ps, x, training, params);
            NDList f = features.get(i).forward(ps, hg, training, params);
            NDList h = heads.get(i).forward(ps, f, training, params);
            if (training || i == stacks - 1) out.add(h.singletonOrThrow());
            if (i < stacks - 1) {
                NDArray next = x.singletonOrThrow()
                        .add(featuresBack.get(i).forward(ps, f, training, params).singletonOrThrow())
                        .add(heatmapsBack.get(i).forward(ps, h, training, params).singletonOrThrow());
                x = new NDList(next);
            }
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        Shape s = in[0];
        return new Shape[]{new Shape(s.get(0), points, s.get(2) / 4, s.get(3) / 4)};
    }

    @Override
    protected void initializeChildBlocks(NDManager m, DataType t, Shape... in) {
        Shape s = in[0];
        long unit = 4L << depth;
        if (s.get(2) % unit != 0 || s.get(3) % unit != 0)
            throw new IllegalArgumentException("input " + s.get(2) + "x" + s.get(3) + " must be divisible by "
                    + unit + " for an hourglass of depth " + depth);
        Shape[] x = in;
        if (coords != null) {
            coords.initialize(m, t, x);
            x = coords.getOutputShapes(x);
        }
        stem.initialize(m, t, x);
        Shape f = new Shape(s.get(0), channels, s.get(2) / 4, s.get(3) / 4);
        Shape h = new Shape(s.get(0), points, s.get(2) / 4, s.get(3) / 4);
        for (int i = 0; i < stacks; i++) {
            hourglasses.get(i).initialize(m, t, f);
            features.get(i).initialize(m, t, f);
            heads.get(i).initialize(m, t, f);
            // Start every head near all-zero maps (the background), as PfldNet starts at the mean
            // face: random heads begin with a loss ~20x that of blank maps and spend steps undoing it.
            heads.get(i).getParameters().get("weight").getArray().muli(0.01f);
            if (i < stacks - 1) {
                featuresBack.get(i).initialize(m, t, f);
                heatmapsBack.get(i).initialize(m, t, h);
            }
        }
    }

    /** Trainable weights (batch-norm running statistics excluded). */
    public long trainableParameters() {
        long total = 0;
        for (var p : getParameters())
            if (p.getValue().requiresGradient()) total += p.getValue().getArray().size();
        return total;
    }
}

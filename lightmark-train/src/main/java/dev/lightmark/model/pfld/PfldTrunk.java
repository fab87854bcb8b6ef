package dev.lightmark.model.pfld;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import dev.lightmark.model.layers.InvertedResidual;
import dev.lightmark.model.layers.Layers;

/**
 * PFLD's MobileNetV2 trunk and its multi-scale features, built the same way for {@link PfldNet}
 * and the TSAL net. Each net adds these blocks under its own child names, so the parameter names,
 * order and shapes in its model files are its own. Widths: 64- and 128-channel parts scale with
 * the width multiplier; S1, S2 and S3 keep the paper's 16/32/128 channels.
 */
public final class PfldTrunk {
    /** Length of the joined feature vector: pooled S1 (16), pooled S2 (32) and S3 (128). */
    public static final int FEATURES = 16 + 32 + 128;

    private PfldTrunk() {}

    /** Channels of a {@code c}-channel layer at this width: a multiple of 8, at least 8. */
    public static int channels(int c, float width) { return Math.max(8, Math.round(c * width / 8f) * 8); }

    /** 3x3 stride-2 conv and a depthwise conv: 112 -> 56. */
    public static SequentialBlock stem(float width) {
        int c64 = channels(64, width);
        SequentialBlock s = new SequentialBlock();
        s.add(Layers.convBn(c64, 3, 2, 1, true));
        s.add(Layers.depthwise(c64, 1));
        return s;
    }

    /** Five inverted residuals: 56 -> 28. */
    public static SequentialBlock stage28(float width) {
        int c64 = channels(64, width);
        return InvertedResidual.stage(c64, c64, 2, 2, 5);
    }

    /** The widening block and six more: 28 -> 14. */
    public static SequentialBlock stage14(float width) {
        int c64 = channels(64, width), c128 = channels(128, width);
        SequentialBlock s = new SequentialBlock();
        s.add(InvertedResidual.stage(c64, c128, 2, 2, 1));
        s.add(InvertedResidual.stage(c128, c128, 1, 4, 6));
        return s;
    }

    /** S1: 14x14, 16 channels. */
    public static SequentialBlock toS1(float width) {
        return InvertedResidual.stage(channels(128, width), 16, 1, 2, 1);
    }

    /** S2: 7x7, 32 channels. */
    public static Block toS2() { return Layers.convBn(32, 3, 2, 1, true); }

    /** S3: 1x1, 128 channels. */
    public static Block toS3() { return Layers.convBn(128, 7, 1, 0, true); }

    /** Pooled S1, pooled S2 and S3, joined: (N, {@link #FEATURES}). */
    public static NDArray features(NDList s1, NDList s2, NDList s3) {
        return NDArrays.concat(new NDList(
                Pool.globalAvgPool2d(s1.singletonOrThrow()),
                Pool.globalAvgPool2d(s2.singletonOrThrow()),
                s3.singletonOrThrow().reshape(-1, 128)), 1);
    }
}

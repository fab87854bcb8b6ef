package dev.lightmark.model.layers;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;

import java.util.function.Predicate;

/**
 * Counts multiply-accumulates of an initialised network analytically, from each convolution's
 * and fully connected layer's weight shape and the input shape it was initialised with:
 * conv = H_out * W_out * C_out * (C_in / groups) * k_h * k_w, linear = in * out. Batch norm
 * (folded into the convolution at export), activations and pooling are not counted, as usual.
 * Counts are per row of the first input dimension (one image, or one patch).
 */
public final class MultAdds {
    private MultAdds() {}

    public static long perRow(Block block) { return perRow(block, name -> true); }

    /** Only children whose name passes {@code keep} are walked (e.g. to leave out a training-only branch). */
    public static long perRow(Block block, Predicate<String> keep) {
        if (block instanceof Conv2d conv) return conv2d(conv);
        if (block instanceof Linear linear) return linear(linear);
        long total = 0;
        for (Pair<String, Block> child : block.getChildren())
            if (keep.test(child.getKey())) total += perRow(child.getValue(), keep);
        return total;
    }

    private static long conv2d(Conv2d conv) {
        Shape in = inputOf(conv);
        Shape w = conv.getParameters().get("weight").getArray().getShape();   // (C_out, C_in/groups, kh, kw)
        Shape out = conv.getOutputShapes(new Shape[]{in})[0];
        return out.get(2) * out.get(3) * w.get(0) * w.get(1) * w.get(2) * w.get(3);
    }

    private static long linear(Linear linear) {
        Shape in = inputOf(linear);
        Shape w = linear.getParameters().get("weight").getArray().getShape();  // (out, in)
        long rows = 1;
        for (int i = 1; i < in.dimension() - 1; i++) rows *= in.get(i);
        return rows * w.get(0) * w.get(1);
    }

    private static Shape inputOf(Block b) {
        Shape[] in = b.getInputShapes();
        if (in == null || in.length == 0) throw new IllegalStateException("block not initialised: " + b);
        return in[0];
    }
}

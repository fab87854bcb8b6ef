package dev.lightmark.model.cascade;

import java.util.Arrays;

/**
 * Layout of a selective cascade (stored in the model file's spec): how many stages, which
 * landmarks get patches, the patch size and pyramid levels, and the widths of the small shared
 * patch network. All stages have the same layout but their own weights.
 */
public class CascadeSpec {
    /** Number of refinement stages. */
    public int stages = 4;
    /** Side of each patch in pixels of its pyramid level. */
    public int patchSize = 16;
    /**
     * Pyramid levels sampled around each landmark: level 0 is the crop itself, each further
     * level halves it (2x2 average), so the same patch covers twice the area. Patches of all
     * levels around one landmark are stacked as channels (3 per level).
     */
    public int scales = 2;
    /** Which landmarks get a patch: "all" (68), "half" (every other point, 34) or "inner" (eyes, nose, mouth, 41). */
    public String patches = "all";
    /** Output channels of the patch network's 3x3 stride-2 convolutions. */
    public int[] channels = {16, 32};
    /** Size of each patch's embedding. */
    public int embedding = 64;
    /** Hidden width of the per-patch attention MLP. */
    public int attentionHidden = 16;
    /** Hidden width of the error head. */
    public int errorHidden = 32;

    /** Landmark indices (of 68) that carry a patch. */
    public int[] patchPoints() { return PatchSubsets.resolve(patches); }

    public int channelsIn() { return 3 * scales; }

    /** Checks the numbers; the message names the field. */
    public void validate(int inputSize) {
        if (stages < 1 || stages > 16) throw new IllegalArgumentException("cascade stages must be 1..16, not " + stages);
        if (scales < 1 || scales > 3) throw new IllegalArgumentException("cascade scales must be 1..3, not " + scales);
        if (patchSize < 4) throw new IllegalArgumentException("cascade patchSize must be at least 4, not " + patchSize);
        if (channels == null || channels.length == 0) throw new IllegalArgumentException("cascade channels must list at least one width");
        int side = patchSize;
        for (int c : channels) {
            if (c < 1) throw new IllegalArgumentException("cascade channels must be positive: " + Arrays.toString(channels));
            side = (side + 1) / 2;
        }
        if (side < 1) throw new IllegalArgumentException("patchSize " + patchSize + " too small for " + channels.length + " convolutions");
        if (embedding < 1 || attentionHidden < 1 || errorHidden < 1)
            throw new IllegalArgumentException("cascade embedding, attentionHidden and errorHidden must be positive");
        if ((inputSize >> (scales - 1)) < patchSize)
            throw new IllegalArgumentException("crop " + inputSize + " px has no pyramid level " + (scales - 1) + " of at least " + patchSize + " px");
        patchPoints();
    }
}

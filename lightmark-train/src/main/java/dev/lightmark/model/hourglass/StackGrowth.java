package dev.lightmark.model.hourglass;

import ai.djl.nn.Block;
import dev.lightmark.train.OnnxWeights;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Grows a stacked hourglass from a trained one-stack file without changing what it computes:
 * every later stack starts as a copy of the first (hourglass, features, heatmap head) and the
 * 1x1 maps that feed a stack's features and heatmaps back into the next start at zero, so each
 * stack reads the same input as the first and the grown network's output equals the file's.
 * Training then lets the stacks part: the later ones refine, all of them get a loss.
 */
public final class StackGrowth {
    /** A top-level child's parameter prefix: DJL's two-digit child index, then the child's name. */
    private static final Pattern STACK_PART = Pattern.compile("^\\d+(hourglass|features|heatmaps)(\\d+)_");
    private static final Pattern FEEDBACK = Pattern.compile("^\\d+(featuresBack|heatmapsBack)\\d+_");
    private static final Pattern FIRST_STACK_CHILD = Pattern.compile("^\\d+(hourglass|features|heatmaps)0$");

    private StackGrowth() {}

    /** For {@link OnnxWeights#load}: a later stack's parameter reads the first stack's; feedback maps start at zero. */
    public static OnnxWeights.Missing fromFirstStack(Block net) {
        Map<String, String> firstStack = new HashMap<>();   // "hourglass" -> "03hourglass0_"
        for (var c : net.getChildren()) {
            var m = FIRST_STACK_CHILD.matcher(c.getKey());
            if (m.find()) firstStack.put(m.group(1), c.getKey() + "_");
        }
        return key -> {
            if (FEEDBACK.matcher(key).find()) return OnnxWeights.Missing.ZEROS;
            var m = STACK_PART.matcher(key);
            if (!m.find() || m.group(2).equals("0") || !firstStack.containsKey(m.group(1))) return null;
            return firstStack.get(m.group(1)) + key.substring(m.end());
        };
    }
}

package dev.lightmark.model.cascade;

import java.util.stream.IntStream;

/** Named subsets of the 68 iBUG landmarks that carry a patch (fewer patches, fewer mult-adds). */
public final class PatchSubsets {
    private PatchSubsets() {}

    public static int[] resolve(String name) {
        return switch (name == null ? "" : name) {
            case "all" -> IntStream.range(0, 68).toArray();
            case "half" -> IntStream.range(0, 34).map(i -> 2 * i).toArray();
            // Brows and jaw are left out: eyes 36-47, nose 27-35, mouth 48-67.
            case "inner" -> IntStream.concat(IntStream.rangeClosed(27, 35),
                    IntStream.concat(IntStream.rangeClosed(36, 47), IntStream.rangeClosed(48, 67))).toArray();
            default -> throw new IllegalArgumentException("patches must be all, half or inner, not '" + name + "'");
        };
    }
}

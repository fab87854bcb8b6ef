package dev.lightmark.train;

import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.quality.FacePose;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Pose-balanced sampling: turned heads are rare in the training sets (about 1 % of 300-W train
 * beyond 30 degrees of yaw), so each face is listed in every epoch a number of times that grows
 * as its head-turn bucket gets rarer: {@code repeat = round((largest bucket / its bucket)^power)},
 * between 1 and {@code maxRepeat}. Buckets by |yaw| fitted from the ground-truth points, with the
 * edges of the evaluation report (15, 30, 45 degrees). Each listed copy gets its own augmentation.
 */
public final class PoseBalance {
    public static final double[] YAW_EDGES = {15, 30, 45};

    private PoseBalance() {}

    public static int bucket(double absYawDeg) {
        int b = 0;
        while (b < YAW_EDGES.length && absYawDeg >= YAW_EDGES[b]) b++;
        return b;
    }

    /** |yaw| in degrees of each shape (fitted from its 68 points). */
    public static double[] absYaw(List<Landmarks> shapes) {
        double[] y = new double[shapes.size()];
        for (int i = 0; i < y.length; i++) y[i] = Math.abs(FacePose.of(shapes.get(i)).yaw());
        return y;
    }

    /** How many times each face is listed per epoch. */
    public static int[] repeats(double[] absYawDeg, float power, int maxRepeat) {
        if (power < 0) throw new IllegalArgumentException("pose balance power must be >= 0, got " + power);
        if (maxRepeat < 1) throw new IllegalArgumentException("max repeat must be >= 1, got " + maxRepeat);
        int[] count = new int[YAW_EDGES.length + 1];
        for (double y : absYawDeg) count[bucket(y)]++;
        int largest = 0;
        for (int c : count) largest = Math.max(largest, c);
        int[] rep = new int[absYawDeg.length];
        for (int i = 0; i < rep.length; i++) {
            double r = Math.pow(largest / (double) count[bucket(absYawDeg[i])], power);
            rep[i] = (int) Math.max(1, Math.min(maxRepeat, Math.round(r)));
        }
        return rep;
    }

    /** Face indices, each listed its repeat count times, in index order. */
    public static int[] listing(int[] repeats) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < repeats.length; i++) for (int k = 0; k < repeats[i]; k++) out.add(i);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** One log line: faces and listed copies per bucket. */
    public static String describe(double[] absYawDeg, int[] repeats) {
        int[] faces = new int[YAW_EDGES.length + 1], copies = new int[faces.length];
        for (int i = 0; i < repeats.length; i++) {
            faces[bucket(absYawDeg[i])]++;
            copies[bucket(absYawDeg[i])] += repeats[i];
        }
        StringBuilder sb = new StringBuilder("pose-balanced sampling (|yaw| <15, 15-30, 30-45, >=45): faces");
        for (int f : faces) sb.append(' ').append(f);
        sb.append(", listed per epoch");
        for (int c : copies) sb.append(' ').append(c);
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}

package dev.lightmark.infer;

import java.util.ArrayList;
import java.util.List;

/**
 * Several landmark networks read as one: each runs on the same crops and the points are their
 * mean, in crop units. The members must agree on the crop (input size and crop scale) and the
 * number of points, since one crop feeds them all. The cost is the sum of the members'.
 */
final class EnsembleNetwork implements LandmarkNetwork {
    private final List<LandmarkNetwork> members;
    private final ModelSpec spec;

    /** Takes ownership of the members (closing the ensemble closes them). */
    EnsembleNetwork(List<LandmarkNetwork> members) {
        if (members.size() < 2) throw new IllegalArgumentException("an ensemble needs at least two models, not " + members.size());
        ModelSpec first = members.get(0).spec();
        for (LandmarkNetwork m : members) {
            ModelSpec s = m.spec();
            if (s.inputSize != first.inputSize || s.cropScale != first.cropScale || s.points != first.points)
                throw new IllegalArgumentException("ensemble members must share the crop and the points: " + describe(first)
                        + " against " + describe(s));
        }
        this.members = List.copyOf(members);
        spec = new ModelSpec();
        spec.architecture = "ensemble";
        spec.points = first.points;
        spec.inputSize = first.inputSize;
        spec.cropScale = first.cropScale;
        spec.width = first.width;
        List<String> parts = new ArrayList<>();
        for (LandmarkNetwork m : members) parts.add(m.spec().architecture);
        spec.trainedOn = "mean of " + String.join(" + ", parts);
    }

    private static String describe(ModelSpec s) {
        return s.architecture + " (" + s.inputSize + " px, crop x" + s.cropScale + ", " + s.points + " points)";
    }

    @Override public ModelSpec spec() { return spec; }

    @Override
    public float[] forward(float[] input, int n) {
        float[] sum = null;
        for (LandmarkNetwork m : members) {
            float[] y = m.forward(input, n);
            if (sum == null) sum = y.clone();
            else for (int i = 0; i < sum.length; i++) sum[i] += y[i];
        }
        float inv = 1f / members.size();
        for (int i = 0; i < sum.length; i++) sum[i] *= inv;
        return sum;
    }

    @Override
    public long parameterCount() {
        long total = 0;
        for (LandmarkNetwork m : members) total += m.parameterCount();
        return total;
    }

    @Override
    public long multAdds() {
        long total = 0;
        for (LandmarkNetwork m : members) total += m.multAdds();
        return total;
    }

    @Override public String runtime() { return members.get(0).runtime(); }

    @Override
    public void close() { for (LandmarkNetwork m : members) m.close(); }
}

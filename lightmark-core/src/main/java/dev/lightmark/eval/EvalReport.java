package dev.lightmark.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Summary of per-face NMEs for one named model / setting: mean, median, failure rates and
 * AUC of the cumulative error distribution (CED) at the 0.08 and 0.10 thresholds.
 *
 * <p>The AUC is exact: the CED is a step function rising by 1/N at each face's error, so its
 * integral from 0 to t is {@code sum_i max(0, t - e_i) / N}; dividing by t gives a value in [0, 1].
 */
public final class EvalReport {
    public static final double T08 = 0.08;
    public static final double T10 = 0.10;

    /** One face's error; {@code id} identifies it for a caller (image name, index...). */
    public record FaceError(String id, double nme) {
        public FaceError {
            Objects.requireNonNull(id, "id");
        }
    }

    private final String name;
    private final Normalizer normalizer;
    private final List<FaceError> faces;
    private final double[] sorted;
    private final double mean;

    private EvalReport(String name, Normalizer normalizer, List<FaceError> faces) {
        this.name = Objects.requireNonNull(name, "name");
        this.normalizer = normalizer;
        if (faces.isEmpty()) throw new IllegalArgumentException("report '" + name + "' has no faces");
        this.faces = List.copyOf(faces);
        this.sorted = new double[faces.size()];
        double sum = 0;
        for (int i = 0; i < sorted.length; i++) {
            FaceError f = this.faces.get(i);
            if (!Double.isFinite(f.nme()) || f.nme() < 0)
                throw new IllegalArgumentException("face '" + f.id() + "' has an invalid NME " + f.nme());
            sorted[i] = f.nme();
            sum += f.nme();
        }
        Arrays.sort(sorted);
        this.mean = sum / sorted.length;
    }

    /** A report over the given faces (kept in the given order); the normaliser may be null (unknown). */
    public static EvalReport of(String name, Normalizer normalizer, List<FaceError> faces) {
        return new EvalReport(name, normalizer, faces);
    }

    /** A report over bare errors; faces are named {@code #0, #1, ...} in the given order. */
    public static EvalReport ofErrors(String name, Normalizer normalizer, double... errors) {
        List<FaceError> f = new ArrayList<>(errors.length);
        for (int i = 0; i < errors.length; i++) f.add(new FaceError("#" + i, errors[i]));
        return new EvalReport(name, normalizer, f);
    }

    public static Builder builder(String name, Normalizer normalizer) { return new Builder(name, normalizer); }

    /** Collects faces one at a time, e.g. inside an evaluation loop. */
    public static final class Builder {
        private final String name;
        private final Normalizer normalizer;
        private final List<FaceError> faces = new ArrayList<>();

        private Builder(String name, Normalizer normalizer) {
            this.name = Objects.requireNonNull(name, "name");
            this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
        }

        public Builder add(String id, double nme) {
            faces.add(new FaceError(id, nme));
            return this;
        }

        /** Computes the face's NME with this builder's normaliser and returns it. */
        public double add(String id, Landmarks predicted, Landmarks groundTruth, LandmarkScheme scheme) {
            double e = Nme.of(predicted, groundTruth, scheme, normalizer);
            faces.add(new FaceError(id, e));
            return e;
        }

        public int size() { return faces.size(); }

        public EvalReport build() { return new EvalReport(name, normalizer, faces); }
    }

    public String name() { return name; }

    /** The normaliser the errors were computed with, or null when not known. */
    public Normalizer normalizer() { return normalizer; }

    public int count() { return sorted.length; }

    /** Per-face errors in the order they were given. */
    public List<FaceError> faces() { return faces; }

    /** The {@code n} faces with the largest NME, worst first (ties keep their input order). */
    public List<FaceError> worst(int n) {
        return faces.stream().sorted(Comparator.comparingDouble(FaceError::nme).reversed())
                .limit(Math.max(0, n)).toList();
    }

    /** Errors sorted ascending (a copy). */
    public double[] sortedErrors() { return sorted.clone(); }

    public double meanNme() { return mean; }

    /** Median NME (mean of the two middle values for an even count). */
    public double medianNme() {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    public double maxNme() { return sorted[sorted.length - 1]; }

    /** Number of faces with NME strictly above {@code threshold}. */
    public int failures(double threshold) {
        return sorted.length - countAtMost(threshold);
    }

    /** Share of faces with NME strictly above {@code threshold}. */
    public double failureRate(double threshold) {
        return failures(threshold) / (double) sorted.length;
    }

    /** CED value: share of faces with NME at most {@code e}. */
    public double ced(double e) {
        return countAtMost(e) / (double) sorted.length;
    }

    /**
     * Exact normalised area under the CED from 0 to {@code threshold}: 1 when every error is 0,
     * 0 when every error is at or above the threshold.
     */
    public double auc(double threshold) {
        if (!(threshold > 0)) throw new IllegalArgumentException("AUC threshold must be > 0, got " + threshold);
        double area = 0;
        for (double e : sorted) {
            if (e >= threshold) break;
            area += threshold - e;
        }
        return area / (threshold * sorted.length);
    }

    private int countAtMost(double e) {
        // first index whose value is > e
        int lo = 0, hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= e) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /** One line, e.g. {@code "hrnet: NME 3.41% | FR@0.08 2.3% | ... (554 faces)"}. */
    public String summary() {
        return String.format(Locale.ROOT,
                "%s: NME %.2f%% | FR@0.08 %.1f%% | FR@0.10 %.1f%% | AUC@0.08 %.1f%% | AUC@0.10 %.1f%% (%d faces)",
                name, 100 * meanNme(), 100 * failureRate(T08), 100 * failureRate(T10),
                100 * auc(T08), 100 * auc(T10), count());
    }

    @Override public String toString() { return summary(); }

    /** Summary as a JSON tree; with {@code includeFaces} every face's id and NME is listed too. */
    public ObjectNode toJsonNode(boolean includeFaces) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("name", name);
        o.put("normalizer", normalizer == null ? null : normalizer.name());
        o.put("count", count());
        o.put("meanNme", meanNme());
        o.put("medianNme", medianNme());
        o.put("maxNme", maxNme());
        ObjectNode fr = o.putObject("failureRate");
        fr.put("0.08", failureRate(T08));
        fr.put("0.10", failureRate(T10));
        ObjectNode fails = o.putObject("failures");
        fails.put("0.08", failures(T08));
        fails.put("0.10", failures(T10));
        ObjectNode auc = o.putObject("auc");
        auc.put("0.08", auc(T08));
        auc.put("0.10", auc(T10));
        o.put("summary", summary());
        if (includeFaces) {
            ArrayNode arr = o.putArray("faces");
            for (FaceError f : faces) arr.addObject().put("id", f.id()).put("nme", f.nme());
        }
        return o;
    }

    /** Pretty-printed JSON of the summary (no per-face list). */
    public String toJson() { return toJson(false); }

    public String toJson(boolean includeFaces) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toJsonNode(includeFaces));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write report JSON", e);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
}

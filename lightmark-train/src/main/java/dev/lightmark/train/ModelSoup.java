package dev.lightmark.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lightmark.infer.ModelSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A "model soup" (Wortsman et al., 2022): the element-wise mean of the weights of models that share
 * a starting point (fine-tunes of one model, snapshots of one run), batch-norm statistics included.
 * One network's cost, often an ensemble's accuracy when the models lie in one basin; models trained
 * apart from random starts do not average into anything useful, so the caller chooses and measures.
 */
public final class ModelSoup {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelSoup() {}

    /**
     * Writes the weighted mean of {@code models} (.lmk files of one architecture and shape) to
     * {@code out}; {@code weights} null gives each model the same share. Returns the soup's spec.
     */
    public static ModelSpec mix(List<Path> models, double[] weights, Path out) throws IOException {
        if (models.size() < 2) throw new IllegalArgumentException("a soup needs at least two models, not " + models.size());
        double[] w = weights != null ? weights.clone() : new double[models.size()];
        if (weights == null) java.util.Arrays.fill(w, 1.0);
        if (w.length != models.size()) throw new IllegalArgumentException(w.length + " weights for " + models.size() + " models");
        double total = 0;
        for (double v : w) {
            if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException("a soup weight must be a number >= 0, not " + v);
            total += v;
        }
        if (!(total > 0)) throw new IllegalArgumentException("the soup weights add up to 0");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelFile.Loaded first = load(models.get(0), manager);
            String shape = shapeOf(first.spec());
            ParameterList sum = first.block().getParameters();
            for (Pair<String, Parameter> p : sum) p.getValue().getArray().muli((float) (w[0] / total));
            StringBuilder from = new StringBuilder(describe(models.get(0), w[0] / total));
            for (int m = 1; m < models.size(); m++) {
                try (NDManager one = manager.newSubManager()) {
                    ModelFile.Loaded next = load(models.get(m), one);
                    if (!shapeOf(next.spec()).equals(shape))
                        throw new IllegalArgumentException(models.get(m) + " is not the same network as " + models.get(0)
                                + " (architecture, sizes or decoding differ); only models of one network can be averaged");
                    ParameterList add = next.block().getParameters();
                    for (int i = 0; i < sum.size(); i++) {
                        NDArray a = sum.get(i).getValue().getArray(), b = add.get(i).getValue().getArray();
                        if (!a.getShape().equals(b.getShape()))
                            throw new IllegalArgumentException(models.get(m) + ": " + add.get(i).getKey() + " is " + b.getShape()
                                    + ", " + a.getShape() + " in " + models.get(0));
                        a.addi(b.mul((float) (w[m] / total)));
                    }
                }
                from.append(" + ").append(describe(models.get(m), w[m] / total));
            }
            ModelSpec spec = first.spec();
            spec.trainedOn = "soup: " + from;
            ModelFile.save(out, spec, first.block());
            return spec;
        }
    }

    private static ModelFile.Loaded load(Path file, NDManager manager) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no model file " + file);
        try (InputStream in = Files.newInputStream(file)) {
            return ModelFile.load(in, file.toString(), manager);
        }
    }

    /** The spec less what training wrote about its data: equal for models of one network. */
    private static String shapeOf(ModelSpec spec) {
        ObjectNode n = JSON.valueToTree(spec);
        n.remove("trainedOn");
        return n.toString();
    }

    /** Share and file, with its folder: run folders all hold a best.lmk. */
    private static String describe(Path file, double share) {
        Path dir = file.toAbsolutePath().normalize().getParent();
        String name = (dir != null && dir.getFileName() != null ? dir.getFileName() + "/" : "") + file.getFileName();
        return String.format(java.util.Locale.ROOT, "%.3f x %s", share, name);
    }
}

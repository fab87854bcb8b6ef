package dev.lightmark.infer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.lightmark.heatmap.GaussianHeatmaps;
import dev.lightmark.heatmap.HeatmapEncoding;
import dev.lightmark.model.ModelFile;
import dev.lightmark.model.ModelSpec;
import dev.lightmark.model.TorchSetup;

import java.io.IOException;
import java.io.InputStream;

/** A .lmk model run eagerly by DJL on PyTorch (the training runtime). Calls are serialised. */
final class DjlNetwork implements LandmarkNetwork {
    private final NDManager manager;
    private final ModelFile.Loaded model;
    private final ParameterStore ps;

    private DjlNetwork(NDManager manager, ModelFile.Loaded model) {
        this.manager = manager;
        this.model = model;
        this.ps = new ParameterStore(manager, false);
    }

    static DjlNetwork load(InputStream in, String name, int threads) throws IOException {
        TorchSetup.configure(threads);
        NDManager m = Engine.getEngine("PyTorch").newBaseManager();
        try {
            return new DjlNetwork(m, ModelFile.load(in, name, m));
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
    }

    ModelFile.Loaded loaded() { return model; }

    @Override public ModelSpec spec() { return model.spec(); }

    @Override
    public synchronized float[] forward(float[] input, int n) {
        int s = model.spec().inputSize;
        try (NDManager step = manager.newSubManager()) {
            NDList out = model.block().forward(ps, new NDList(step.create(input, new Shape(n, 3, s, s))), false);
            Shape shape = out.get(0).getShape();
            if (shape.dimension() == 4) {   // heatmaps (hourglass): decode to crop units like PFLD's output
                float sigma = model.spec().hourglass != null ? model.spec().hourglass.sigma : 1.5f;
                return new GaussianHeatmaps((int) shape.get(3), sigma, HeatmapEncoding.OFFSET)
                        .toCropUnits(out.get(0).toFloatArray(), n, (int) shape.get(1));
            }
            return out.get(0).toFloatArray();
        }
    }

    /** Weights used at inference (the training-only auxiliary net excluded). */
    @Override
    public long parameterCount() {
        long total = 0;
        for (var p : model.block().getParameters())
            if (!p.getKey().contains("aux")) total += p.getValue().getArray().size();
        return total;
    }

    /** For a cascade, all the stages it is set to run; otherwise the inference layers (auxiliary net excluded). */
    @Override
    public long multAdds() {
        if (model.block() instanceof dev.lightmark.model.cascade.CascadeNet c) return c.multAdds(c.runStages());
        return dev.lightmark.model.MultAdds.perRow(model.block(), name -> !name.contains("aux"));
    }

    @Override public String runtime() { return "djl-pytorch"; }

    @Override public void close() { manager.close(); }
}

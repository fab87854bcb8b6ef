package dev.lightmark.model;

import dev.lightmark.model.layers.MultAdds;
import dev.lightmark.model.layers.TorchSetup;
import dev.lightmark.train.Architectures;
import dev.lightmark.train.ModelFile;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.lightmark.infer.LandmarkNetwork;
import dev.lightmark.infer.LandmarkNetworkProvider;
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.infer.OutputDecoder;
import dev.lightmark.infer.StagedNetwork;
import dev.lightmark.io.BundledResources;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * A .lmk model run eagerly by DJL on PyTorch (the training runtime). Calls are serialised. Its
 * architecture's decoder turns the network's output into points.
 */
public final class DjlNetwork implements LandmarkNetwork {
    /** The bundled model as trained (DJL weights), for fine-tuning and as the reference of its ONNX export. */
    public static final String BUNDLED_LMK = "/models/pfld/pfld-300w.lmk";

    private final NDManager manager;
    private final ModelFile.Loaded model;
    private final OutputDecoder decoder;
    private final ParameterStore ps;

    private DjlNetwork(NDManager manager, ModelFile.Loaded model) {
        this.manager = manager;
        this.model = model;
        this.decoder = Architectures.get(model.spec().architecture).decoder(model.spec());
        this.ps = new ParameterStore(manager, false);
    }

    public static DjlNetwork load(InputStream in, String name, int threads) throws IOException {
        TorchSetup.configure(threads);
        NDManager m = Engine.getEngine("PyTorch").newBaseManager();
        try {
            return new DjlNetwork(m, ModelFile.load(in, name, m));
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** The bundled model's trained weights on DJL/PyTorch. */
    public static LandmarkPredictor loadBundled(int threads) throws IOException {
        return new LandmarkPredictor(load(new ByteArrayInputStream(BundledResources.read(BUNDLED_LMK)), BUNDLED_LMK, threads));
    }

    public ModelFile.Loaded loaded() { return model; }

    @Override public ModelSpec spec() { return model.spec(); }

    @Override
    public synchronized float[] forward(float[] input, int n) {
        int s = model.spec().inputSize;
        try (NDManager step = manager.newSubManager()) {
            NDList out = model.block().forward(ps, new NDList(step.create(input, new Shape(n, 3, s, s))), false);
            return decoder.toCropUnits(out.get(0).toFloatArray(), out.get(0).getShape().getShape());
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
        if (model.block() instanceof StagedNetwork c) return c.multAdds(c.runStages());
        return MultAdds.perRow(model.block(), name -> !name.contains("aux"));
    }

    @Override
    public Optional<StagedNetwork> staged() {
        return model.block() instanceof StagedNetwork c ? Optional.of(c) : Optional.empty();
    }

    @Override public String runtime() { return "djl-pytorch"; }

    @Override public void close() { manager.close(); }

    /** Registered with ServiceLoader: lets core's LandmarkPredictor open .lmk files. */
    public static final class Provider implements LandmarkNetworkProvider {
        @Override public boolean accepts(String fileName) { return fileName.endsWith(".lmk"); }

        @Override
        public LandmarkNetwork open(InputStream in, String name, int threads) throws IOException { return load(in, name, threads); }
    }
}

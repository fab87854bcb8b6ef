package dev.lightmark.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParameterList;
import dev.lightmark.infer.ModelSpec;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Untrained model files and their weights, for the tests of tools that read .lmk files (soups, the CLI). */
public final class RandomModelFiles {
    private RandomModelFiles() {}

    /** A freshly initialised (random) PFLD model file {@code dir/NAME.lmk} at {@code width}. */
    public static Path pfld(Path dir, String name, float width) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            ModelSpec spec = new ModelSpec();
            spec.width = width;
            spec.trainedOn = name;
            Block b = ModelFile.build(spec);
            b.initialize(m, DataType.FLOAT32, new Shape(1, 3, spec.inputSize, spec.inputSize));
            Path file = dir.resolve(name + ".lmk");
            ModelFile.save(file, spec, b);
            return file;
        }
    }

    /** Every parameter of the model file, in the network's order. */
    public static float[][] parameters(Path file) throws Exception {
        try (NDManager m = NDManager.newBaseManager(); InputStream in = Files.newInputStream(file)) {
            ParameterList p = ModelFile.load(in, file.toString(), m).block().getParameters();
            float[][] out = new float[p.size()][];
            for (int i = 0; i < p.size(); i++) out[i] = p.get(i).getValue().getArray().toFloatArray();
            return out;
        }
    }
}

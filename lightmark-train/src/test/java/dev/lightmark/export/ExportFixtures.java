package dev.lightmark.export;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.model.hourglass.HourglassArchitecture;
import dev.lightmark.model.hourglass.HourglassSpec;
import dev.lightmark.testdata.SyntheticFaces;
import dev.lightmark.train.ModelFile;

import java.nio.FloatBuffer;
import java.util.Random;

/** Random networks and face-like inputs shared by the export tests. */
final class ExportFixtures {
    private ExportFixtures() {}

    /** The network the spec describes, initialised with a fixed seed and random batch-norm statistics. */
    static Block randomNet(NDManager m, ModelSpec spec, long seed) { return randomNet(m, spec, seed, 0.5f, 1.5f); }

    /** {@code gamma} in [lo, hi): deep trunks need small ones to keep their outputs near crop units. */
    static Block randomNet(NDManager m, ModelSpec spec, long seed, float lo, float hi) {
        Engine.getEngine("PyTorch").setRandomSeed((int) seed);
        Block net = ModelFile.build(spec);
        net.initialize(m, DataType.FLOAT32, new Shape(1, 3, spec.inputSize, spec.inputSize));
        Random rnd = new Random(seed);
        for (Pair<String, Parameter> p : net.getParameters()) {
            String name = p.getKey();
            NDArray a = p.getValue().getArray();
            int c = (int) a.size();
            if (name.endsWith("_gamma")) a.set(FloatBuffer.wrap(uniform(rnd, c, lo, hi)));
            else if (name.endsWith("_beta")) a.set(FloatBuffer.wrap(uniform(rnd, c, -0.2f, 0.2f)));
            else if (name.endsWith("_runningMean")) a.set(FloatBuffer.wrap(uniform(rnd, c, -0.2f, 0.2f)));
            else if (name.endsWith("_runningVar")) a.set(FloatBuffer.wrap(uniform(rnd, c, 0.3f, 2f)));
        }
        return net;
    }

    /** n face-like crops (the synthetic template drawn at random shifts, plus noise), normalised like the predictor's. */
    static float[] faces(int n, int s, long seed) {
        Random rnd = new Random(seed);
        float[] t = SyntheticFaces.template(), x = new float[n * 3 * s * s];
        for (int f = 0; f < n; f++) {
            float dx = (rnd.nextFloat() - 0.5f) * 0.2f * s, dy = (rnd.nextFloat() - 0.5f) * 0.2f * s;
            for (int i = 0; i < 3 * s * s; i++) x[f * 3 * s * s + i] = (float) (0.3 * rnd.nextGaussian());
            for (int p = 0; p < t.length / 2; p++) {
                int u = Math.round(t[2 * p] * s * 0.8f + 0.1f * s + dx), v = Math.round(t[2 * p + 1] * s * 0.8f + 0.1f * s + dy);
                for (int c = 0; c < 3; c++)
                    for (int dv = -1; dv <= 1; dv++)
                        for (int du = -1; du <= 1; du++) {
                            int uu = u + du, vv = v + dv;
                            if (uu >= 0 && vv >= 0 && uu < s && vv < s) x[f * 3 * s * s + c * s * s + vv * s + uu] = c == 0 ? 1f : -1f;
                        }
            }
        }
        return x;
    }

    /** A light hourglass of these sizes with every option on (CoordConv, coordinate attention, SE). */
    static ModelSpec hourglassSpec(int stacks, int depth, int channels, int input) {
        ModelSpec spec = new ModelSpec();
        spec.architecture = HourglassArchitecture.NAME;
        spec.inputSize = input;
        HourglassSpec h = new HourglassSpec();
        h.stacks = stacks;
        h.depth = depth;
        h.channels = channels;
        spec.setSettings(HourglassArchitecture.NAME, h);
        return spec;
    }

    static double maxAbs(float[] a, float[] b) {
        double mx = 0;
        for (int i = 0; i < a.length; i++) mx = Math.max(mx, Math.abs(a[i] - b[i]));
        return mx;
    }

    static float[] uniform(Random rnd, int n, float lo, float hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = lo + (hi - lo) * rnd.nextFloat();
        return x;
    }
}

package dev.lightmark.model.cascade;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import dev.lightmark.model.layers.MeanShapeHead;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Selective cascaded regression: start from the mean shape in the crop, then each stage cuts
 * patches around the current points ({@link PatchSampler}), regresses a shape update and
 * predicts the error of the updated shape. With an exit threshold, a face leaves the cascade
 * after the first stage whose predicted error is below it ("knowing when to quit").
 *
 * <p>As a block it maps normalised crops (N, 3, S, S) to (N, 2K) crop-unit points, like the
 * other landmark networks, so the predictor, flip test and detector pipeline work unchanged.
 * The mean shape is a non-trained parameter, saved with the weights.
 */
public final class CascadeNet extends AbstractBlock implements MeanShapeHead, dev.lightmark.infer.StagedNetwork {
    private final CascadeSpec spec;
    private final int points;
    private final int inputSize;
    private final int[] patchPoints;
    private final Parameter meanShape;
    private final List<CascadeStage> stages = new ArrayList<>();

    // Inference policy and counters (calls are serialised by the caller, see DjlNetwork).
    private int runStages;
    private float exitThreshold;
    private long facesRun;
    private long stagesRun;

    public CascadeNet(CascadeSpec spec, int points, int inputSize) {
        super((byte) 1);
        spec.validate(inputSize);
        this.spec = spec;
        this.points = points;
        this.inputSize = inputSize;
        this.patchPoints = spec.patchPoints();
        this.meanShape = addParameter(Parameter.builder().setName("meanShape").setType(Parameter.Type.OTHER)
                .optShape(new Shape(2L * points)).optInitializer(new ConstantInitializer(0.5f))
                .optRequiresGrad(false).build());
        for (int t = 0; t < spec.stages; t++) stages.add(addChildBlock("stage" + (t + 1), new CascadeStage(spec, points)));
        this.runStages = spec.stages;
    }

    public CascadeSpec spec() { return spec; }
    public int points() { return points; }
    public int inputSize() { return inputSize; }
    public int[] patchPoints() { return patchPoints.clone(); }
    public int stageCount() { return stages.size(); }
    public CascadeStage stage(int t) { return stages.get(t); }

    public float[] meanShape() { return meanShape.getArray().toFloatArray(); }

    @Override
    public void setMeanShape(float[] shape) { meanShape.getArray().set(FloatBuffer.wrap(shape)); }

    /** Run at most this many stages (1..stageCount). */
    public void setRunStages(int n) {
        if (n < 1 || n > stages.size())
            throw new IllegalArgumentException("stages must be 1.." + stages.size() + " for this cascade, not " + n);
        runStages = n;
    }

    /** Leave the cascade after the first stage whose predicted NME is below this (0 = never exit early). */
    public void setExitThreshold(float t) {
        if (!(t >= 0) || !Float.isFinite(t)) throw new IllegalArgumentException("exit threshold must be >= 0, not " + t);
        exitThreshold = t;
    }

    public int runStages() { return runStages; }
    public float exitThreshold() { return exitThreshold; }

    /** Mean number of stages run per face since the counters were last reset. */
    public double meanStagesRun() { return facesRun == 0 ? 0 : (double) stagesRun / facesRun; }
    public long facesRun() { return facesRun; }
    public void resetCounters() { facesRun = stagesRun = 0; }

    /** Mult-adds for one face through the first {@code n} stages. */
    public long multAdds(int n) {
        long total = 0;
        for (int t = 0; t < n; t++) total += stages.get(t).multAdds();
        return total;
    }

    /** Patches around {@code shapes} (one 2K row per entry of {@code faces}) for a stage's input. */
    public float[] patches(float[][] pyramid, int[] faces, float[] shapes) {
        return PatchSampler.sample(pyramid, inputSize, faces, shapes, patchPoints, spec.patchSize);
    }

    public Shape patchShape(int faces) {
        return new Shape((long) faces * patchPoints.length, spec.channelsIn(), spec.patchSize, spec.patchSize);
    }

    public float[][] pyramid(float[] crops, int n) { return PatchSampler.pyramid(crops, n, inputSize, spec.scales); }

    /** The mean shape repeated for n faces. */
    public float[] startShapes(int n) {
        float[] mean = meanShape(), out = new float[n * mean.length];
        for (int i = 0; i < n; i++) System.arraycopy(mean, 0, out, i * mean.length, mean.length);
        return out;
    }

    /**
     * What the cascade did on a batch: {@code shapes[t]} and {@code predictedError[t]} after stage
     * t + 1 (NaN for faces that had already left), {@code stagesRun} per face and the final shapes.
     */
    public record Trace(float[][] shapes, float[][] predictedError, int[] stagesRun, float[] finalShapes, long[] stageNanos) {}

    /**
     * Runs up to {@code maxStages} stages on normalised crops; a face stops after the first stage
     * whose predicted error is below {@code threshold} (0: never early).
     */
    public Trace run(ParameterStore ps, NDManager manager, float[] crops, int n, int maxStages, float threshold) {
        int k2 = 2 * points;
        float[][] pyr = pyramid(crops, n);
        float[] cur = startShapes(n);
        float[][] shapes = new float[maxStages][], errs = new float[maxStages][];
        int[] ran = new int[n];
        long[] nanos = new long[maxStages];
        boolean[] active = new boolean[n];
        Arrays.fill(active, true);
        for (int t = 0; t < maxStages; t++) {
            long t0 = System.nanoTime();
            int[] idx = java.util.stream.IntStream.range(0, n).filter(i -> active[i]).toArray();
            shapes[t] = new float[n * k2];
            errs[t] = new float[n];
            Arrays.fill(shapes[t], Float.NaN);
            Arrays.fill(errs[t], Float.NaN);
            if (idx.length == 0) continue;
            float[] in = new float[idx.length * k2];
            for (int j = 0; j < idx.length; j++) System.arraycopy(cur, idx[j] * k2, in, j * k2, k2);
            float[] update, err;
            try (NDManager m = manager.newSubManager()) {
                NDArray x = m.create(patches(pyr, idx, in), patchShape(idx.length));
                NDList out = stages.get(t).forward(ps, new NDList(x), false);
                update = out.get(0).toFloatArray();
                err = out.get(1).toFloatArray();
            }
            for (int j = 0; j < idx.length; j++) {
                int f = idx[j];
                for (int c = 0; c < k2; c++) cur[f * k2 + c] += update[j * k2 + c];
                System.arraycopy(cur, f * k2, shapes[t], f * k2, k2);
                errs[t][f] = err[j];
                ran[f] = t + 1;
                if (threshold > 0 && err[j] < threshold) active[f] = false;
            }
            nanos[t] = System.nanoTime() - t0;
        }
        return new Trace(shapes, errs, ran, cur, nanos);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray x = in.singletonOrThrow();
        int n = (int) x.getShape().get(0);
        Trace tr = run(ps, x.getManager(), x.toFloatArray(), n, runStages, exitThreshold);
        facesRun += n;
        for (int r : tr.stagesRun()) stagesRun += r;
        return new NDList(x.getManager().create(tr.finalShapes(), new Shape(n, 2L * points)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) { return new Shape[]{new Shape(inputs[0].get(0), 2L * points)}; }

    @Override
    protected void initializeChildBlocks(NDManager m, DataType t, Shape... in) {
        for (CascadeStage s : stages) s.initialize(m, t, patchShape(1));
    }
}

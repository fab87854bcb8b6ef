package dev.lightmark.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * Adam with decoupled weight decay. Written here (not DJL's optimizer) because its moment
 * estimates must be saved in checkpoints for an exact resume. Decay skips biases and norms.
 * Call {@link #step} outside a GradientCollector, where in-place updates are allowed.
 */
public final class AdamW implements Optimizer {
    private final List<Parameter> params = new ArrayList<>();
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private final float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
    private long t;

    public AdamW(PairList<String, Parameter> all, NDManager state) {
        for (Pair<String, Parameter> p : all) {
            if (!p.getValue().requiresGradient()) continue;
            NDArray w = p.getValue().getArray();
            params.add(p.getValue());
            m.add(state.zeros(w.getShape()));
            v.add(state.zeros(w.getShape()));
        }
    }

    public List<Parameter> parameters() { return params; }

    public void step(float lr, float weightDecay, NDManager scratch) {
        t++;
        float bc1 = 1 - (float) Math.pow(beta1, t), bc2 = 1 - (float) Math.pow(beta2, t);
        Scratch s = new Scratch(scratch);
        for (int i = 0; i < params.size(); i++) {
            NDArray w = params.get(i).getArray();
            NDArray g = s.tmp(w.getGradient());
            NDArray mi = m.get(i), vi = v.get(i);
            mi.muli(beta1).addi(g.mul(1 - beta1));
            vi.muli(beta2).addi(g.square().muli(1 - beta2));
            NDArray denom = s.tmp(s.tmp(vi.div(bc2)).sqrt()).addi(eps);
            NDArray update = s.tmp(mi.div(bc1)).divi(denom).muli(lr);
            if (weightDecay > 0 && w.getShape().dimension() > 1) update.addi(s.tmp(w.mul(lr * weightDecay)));
            w.subi(update);
            g.subi(g);   // zero for the next backward (PyTorch accumulates gradients)
        }
    }

    public long steps() { return t; }

    /** Moments, in parameter order, then the step count. */
    public NDList state(NDManager into) {
        NDList out = new NDList();
        for (int i = 0; i < params.size(); i++) {
            out.add(m.get(i));
            out.add(v.get(i));
        }
        out.add(into.create(new long[]{t}));
        return out;
    }

    public void restore(NDList state) {
        if (state.size() != 2 * params.size() + 1)
            throw new IllegalStateException("optimizer state has " + state.size() + " arrays, expected " + (2 * params.size() + 1));
        for (int i = 0; i < params.size(); i++) {
            m.get(i).set(state.get(2 * i).toByteBuffer());
            v.get(i).set(state.get(2 * i + 1).toByteBuffer());
        }
        t = state.get(2 * params.size()).toLongArray()[0];
    }
}

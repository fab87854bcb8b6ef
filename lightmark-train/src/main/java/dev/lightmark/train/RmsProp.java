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
 * RMSprop with optional momentum and L2 weight decay, the optimiser of the stacked-hourglass
 * papers. Per weight: g' = g + decay * w (L2, added to the gradient, so it is scaled by the
 * adaptive step like the loss is); v = alpha v + (1 - alpha) g'^2; step = g' / (sqrt(v) + eps);
 * with momentum, b = momentum b + step and w -= lr b, else w -= lr step. Decay skips biases and
 * norms (arrays of one dimension), as in {@link AdamW}.
 *
 * <p>Written here, like AdamW, so that its running averages go into checkpoints and a resumed
 * run continues exactly. Call {@link #step} outside a GradientCollector.
 */
public final class RmsProp implements Optimizer {
    private final List<Parameter> params = new ArrayList<>();
    private final List<NDArray> meanSquare = new ArrayList<>();
    private final List<NDArray> buffer = new ArrayList<>();
    private final float alpha;
    private final float eps;
    private final float momentum;
    private long t;

    /** PyTorch's defaults: alpha 0.99, eps 1e-8. */
    public RmsProp(PairList<String, Parameter> all, NDManager state, float momentum) {
        this(all, state, 0.99f, 1e-8f, momentum);
    }

    public RmsProp(PairList<String, Parameter> all, NDManager state, float alpha, float eps, float momentum) {
        if (!(alpha > 0 && alpha < 1)) throw new IllegalArgumentException("RMSprop alpha must be in (0, 1), not " + alpha);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must be in [0, 1), not " + momentum);
        this.alpha = alpha;
        this.eps = eps;
        this.momentum = momentum;
        for (Pair<String, Parameter> p : all) {
            if (!p.getValue().requiresGradient()) continue;
            NDArray w = p.getValue().getArray();
            params.add(p.getValue());
            meanSquare.add(state.zeros(w.getShape()));
            if (momentum > 0) buffer.add(state.zeros(w.getShape()));
        }
    }

    public List<Parameter> parameters() { return params; }

    public void step(float lr, float weightDecay, NDManager scratch) {
        t++;
        Scratch s = new Scratch(scratch);
        for (int i = 0; i < params.size(); i++) {
            NDArray w = params.get(i).getArray();
            NDArray g = s.tmp(w.getGradient());
            NDArray grad = weightDecay > 0 && w.getShape().dimension() > 1 ? s.tmp(g.add(s.tmp(w.mul(weightDecay)))) : g;
            NDArray v = meanSquare.get(i);
            v.muli(alpha).addi(s.tmp(grad.square()).muli(1 - alpha));
            NDArray step = s.tmp(grad.div(s.tmp(s.tmp(v.sqrt()).addi(eps))));
            if (momentum > 0) {
                NDArray b = buffer.get(i);
                b.muli(momentum).addi(step);
                w.subi(s.tmp(b.mul(lr)));
            } else {
                w.subi(step.muli(lr));
            }
            g.subi(g);   // zero for the next backward (PyTorch accumulates gradients)
        }
    }

    public long steps() { return t; }

    /** Mean squares (and momentum buffers), in parameter order, then the step count. */
    public NDList state(NDManager into) {
        NDList out = new NDList();
        for (int i = 0; i < params.size(); i++) {
            out.add(meanSquare.get(i));
            if (momentum > 0) out.add(buffer.get(i));
        }
        out.add(into.create(new long[]{t}));
        return out;
    }

    public void restore(NDList state) {
        int per = momentum > 0 ? 2 : 1;
        if (state.size() != per * params.size() + 1)
            throw new IllegalStateException("optimizer state has " + state.size() + " arrays, expected " + (per * params.size() + 1)
                    + " (was it saved with another momentum setting or model?)");
        for (int i = 0; i < params.size(); i++) {
            meanSquare.get(i).set(state.get(per * i).toByteBuffer());
            if (momentum > 0) buffer.get(i).set(state.get(per * i + 1).toByteBuffer());
        }
        t = state.get(per * params.size()).toLongArray()[0];
    }
}

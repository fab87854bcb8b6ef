package dev.lightmark.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/** An optimizer whose moving state is saved in checkpoints, so that a resumed run continues exactly. */
public interface Optimizer {
    /** A copy of the state, allocated in {@code into}. */
    NDList state(NDManager into);

    /** Replaces the state with one from {@link #state}. */
    void restore(NDList state);

    /** Applies the gradients of the step just computed; temporaries go to {@code scratch}. */
    void step(float lr, float weightDecay, NDManager scratch);
}

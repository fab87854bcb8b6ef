package dev.lightmark.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * An optimizer step's temporaries. Each array an update creates is moved to the step's
 * sub-manager, so closing that manager after the step frees them; left with the parameters'
 * manager they would pile up for the whole run.
 */
record Scratch(NDManager manager) {
    /** Moves {@code a} to the scratch manager and returns it. */
    NDArray tmp(NDArray a) {
        a.attach(manager);
        return a;
    }
}

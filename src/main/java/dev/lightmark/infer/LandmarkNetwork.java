package dev.lightmark.infer;

import dev.lightmark.model.ModelSpec;

/** A landmark network behind one of the runtimes: (n, 3, S, S) normalised pixels to (n, 2K) crop units. */
interface LandmarkNetwork extends AutoCloseable {
    ModelSpec spec();

    float[] forward(float[] input, int n);

    /** Number of weights (0 when the runtime does not tell). */
    long parameterCount();

    /** Mult-adds of one pass per face, counted from the layers (0 when the runtime does not tell). */
    default long multAdds() { return 0; }

    /** "onnxruntime" or "djl-pytorch". */
    String runtime();

    @Override
    void close();
}

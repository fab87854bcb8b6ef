package dev.lightmark.infer;

import java.util.Optional;

/**
 * A landmark network behind one of the runtimes: (n, 3, S, S) normalised pixels to (n, 2K) crop
 * units. Core runs {@code .onnx} files itself; other runtimes plug in through
 * {@link LandmarkNetworkProvider}.
 */
public interface LandmarkNetwork extends AutoCloseable {
    ModelSpec spec();

    float[] forward(float[] input, int n);

    /** Number of weights (0 when the runtime does not tell). */
    long parameterCount();

    /** Mult-adds of one pass per face, counted from the layers (0 when the runtime does not tell). */
    default long multAdds() { return 0; }

    /** "onnxruntime" or "djl-pytorch". */
    String runtime();

    /** The stage controls when the network is a selective cascade. */
    default Optional<StagedNetwork> staged() { return Optional.empty(); }

    @Override
    void close();
}

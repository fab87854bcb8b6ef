package dev.lightmark.infer;

import dev.lightmark.io.BundledResources;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Opens each bundled model file once for several predictors: a service that offers a bundled
 * model under several names, or bundled models that share a member file, keeps one ONNX Runtime
 * session per file. Predictors made with {@link LandmarkPredictor#bundled(String, BundledNetworks)} borrow
 * the networks (closing them leaves the networks open); closing this closes the networks, so it
 * is closed after the last such predictor is done.
 */
public final class BundledNetworks implements AutoCloseable {
    private final int threads;
    private final Map<String, LandmarkNetwork> open = new LinkedHashMap<>();
    private boolean closed;

    /** @param threads intra-op threads of every session opened here */
    public BundledNetworks(int threads) { this.threads = threads; }

    /** The network of a bundled resource, opened on first use; the caller must not close it. */
    synchronized LandmarkNetwork borrow(String resource, String name) throws IOException {
        if (closed) throw new IllegalStateException("bundled networks already closed");
        LandmarkNetwork n = open.get(resource);
        if (n == null) {
            n = OnnxNetwork.fromBytes(BundledResources.read(resource), name, threads);
            open.put(resource, n);
        }
        return new Borrowed(n);
    }

    /** The model files opened so far, in order. */
    public synchronized List<String> openResources() { return List.copyOf(open.keySet()); }

    @Override
    public synchronized void close() {
        closed = true;
        open.values().forEach(LandmarkNetwork::close);
        open.clear();
    }

    /** A network seen through a lender: everything but {@link #close()}, which the lender does. */
    private record Borrowed(LandmarkNetwork n) implements LandmarkNetwork {
        @Override public ModelSpec spec() { return n.spec(); }
        @Override public float[] forward(float[] input, int count) { return n.forward(input, count); }
        @Override public long parameterCount() { return n.parameterCount(); }
        @Override public long multAdds() { return n.multAdds(); }
        @Override public String runtime() { return n.runtime(); }
        @Override public Optional<StagedNetwork> staged() { return n.staged(); }
        @Override public void close() {}
    }
}

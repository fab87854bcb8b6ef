package dev.lightmark.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;

/** The ONNX Runtime session settings shared by the detector and the landmark runner. */
public final class OrtSessions {
    private OrtSessions() {}

    /**
     * A session with {@code threads} intra-op threads, sequential execution and full graph
     * optimisation. Logging is limited to errors: converted graphs carry unused initialisers and
     * ONNX Runtime would warn about each one.
     */
    public static OrtSession create(OrtEnvironment env, byte[] model, int threads) throws OrtException {
        try (OrtSession.SessionOptions so = options(threads)) {
            return env.createSession(model, so);
        }
    }

    /** The settings {@link #create} uses, for tools that time them against others; the caller closes them. */
    public static OrtSession.SessionOptions options(int threads) throws OrtException {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        so.setIntraOpNumThreads(threads);
        so.setInterOpNumThreads(1);
        so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        so.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
        return so;
    }
}

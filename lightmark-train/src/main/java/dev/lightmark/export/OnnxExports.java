package dev.lightmark.export;

import ai.djl.nn.Block;
import dev.lightmark.infer.ModelSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ONNX graph writer of each architecture that can ship, by the architecture's registered
 * name ({@link dev.lightmark.model.Architectures}). Adding one is a writer class here and a line
 * below. The writers live in this package, next to the graph builder they use, so the model
 * packages do not depend on the exporter (only the exporter on them).
 */
final class OnnxExports {
    /** Writes one architecture's network as an ONNX model. */
    interface Writer {
        /** The architecture name it writes (a {@code ModelSpec.architecture} value). */
        String architecture();

        /** The model's bytes; {@code e} is a fresh emitter whose probes live as long as the call. */
        byte[] write(Block net, ModelSpec spec, GraphEmitter e);
    }

    private static final Map<String, Writer> BY_NAME = new LinkedHashMap<>();

    static {
        for (Writer w : List.of(new PfldOnnx(), new HourglassOnnx(), new TsalOnnx(), new CascadeOnnx()))
            BY_NAME.put(w.architecture(), w);
    }

    private OnnxExports() {}

    static Writer get(String architecture) {
        Writer w = BY_NAME.get(architecture);
        if (w == null)
            throw new IllegalArgumentException("no ONNX export for architecture '" + architecture + "' (exportable: "
                    + String.join(", ", BY_NAME.keySet()) + ")");
        return w;
    }

    static List<String> names() { return List.copyOf(BY_NAME.keySet()); }
}

package dev.lightmark.cli;

import dev.lightmark.export.OnnxExporter;
import dev.lightmark.infer.LandmarkPredictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a trained .lmk model to ONNX and check that ONNX Runtime gives the same points.")
final class ExportCommand implements Callable<Integer> {
    /** Largest accepted |ONNX Runtime - DJL| difference, in crop units (1e-4 of the crop side). */
    static final double TOLERANCE = 1e-4;

    @Option(names = "--model", description = "Trained model (.lmk); default: the bundled model's weights")
    Path model;

    @Option(names = "--out", required = true, description = "ONNX file to write")
    Path out;

    @Override
    public Integer call() throws Exception {
        OnnxExporter.export(model, out);
        try (LandmarkPredictor djl = model == null ? dev.lightmark.model.DjlNetwork.loadBundled(1) : LandmarkPredictor.load(model, 1);
             LandmarkPredictor ort = LandmarkPredictor.load(out, 1)) {
            int s = djl.spec().inputSize, n = 4;
            float[] x = new float[n * 3 * s * s];
            Random r = new Random(1);
            for (int i = 0; i < x.length; i++) x[i] = r.nextFloat() * 2 - 1;
            float[] a = djl.forward(x, n), b = ort.forward(x, n);
            double max = 0;
            for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
            System.out.printf(Locale.ROOT, "wrote %s; max |ONNX Runtime - DJL| on %d random inputs = %.2g crop units (tolerance %.0e)%n",
                    out, n, max, TOLERANCE);
            if (max > TOLERANCE) throw new IllegalStateException("exported model differs from the trained one by " + max);
        }
        return 0;
    }
}

package dev.lightmark.cli;

import dev.lightmark.train.CalibrationFaces;
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

    @Option(names = "--int8", description = "Write an int8 (QDQ) model calibrated on --calibration faces: smaller and "
            + "faster on CPUs with int8 dot products; its points are checked against the float model's on those faces")
    boolean int8;

    @Option(names = "--calibration", paramLabel = "DIR[@LIST]", description = "With --int8: labelled training faces to "
            + "measure activation ranges on (never the test folders). Default: ${DEFAULT-VALUE}")
    String calibration = "../shared/data/300w/train";

    @Option(names = "--calibration-faces", description = "With --int8: how many faces, spread over the folder. Default: ${DEFAULT-VALUE}")
    int calibrationFaces = 256;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Largest accepted mean |int8 - float| point difference, in crop units (1 % of the crop side). */
    static final double INT8_TOLERANCE = 0.01;

    @Override
    public Integer call() throws Exception {
        if (int8) return exportInt8();
        OnnxExporter.export(model, out);
        try (LandmarkPredictor djl = trained();
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

    /** The trained model on DJL, to check the export against: --model, else the bundled PFLD's weights. */
    private LandmarkPredictor trained() throws java.io.IOException {
        return model == null ? dev.lightmark.model.DjlNetwork.loadBundled(1) : LandmarkPredictor.load(model, 1);
    }

    private Integer exportInt8() throws Exception {
        if (calibrationFaces < 1) throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "--calibration-faces must be at least 1, not " + calibrationFaces);
        Path folder = dev.lightmark.data.PtsFolder.folderOf(calibration);
        if (!java.nio.file.Files.isDirectory(folder))
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--calibration: no folder " + folder
                    + " (int8 needs labelled training faces, NAME.jpg + NAME.pts, to measure activation ranges on)");
        OnnxExporter.exportInt8(model, out, calibration, calibrationFaces);
        try (LandmarkPredictor djl = trained();
             LandmarkPredictor ort = LandmarkPredictor.load(out, 1)) {
            var faces = dev.lightmark.train.CalibrationFaces.from(calibration, 32, djl.spec());
            float[] a = djl.forward(faces.data(), faces.count()), b = ort.forward(faces.data(), faces.count());
            double sum = 0, max = 0;
            for (int i = 0; i + 1 < a.length; i += 2) {
                double d = Math.hypot(a[i] - b[i], a[i + 1] - b[i + 1]);
                sum += d;
                max = Math.max(max, d);
            }
            double mean = sum / (a.length / 2);
            System.out.printf(Locale.ROOT, "wrote %s (%,d bytes); int8 against float on %s: mean point shift %.4f, max %.4f crop units "
                    + "(tolerance %.2f mean)%n", out, java.nio.file.Files.size(out), faces.source(), mean, max, INT8_TOLERANCE);
            if (!(mean <= INT8_TOLERANCE)) throw new IllegalStateException("the int8 model moves points by " + mean + " crop units on average");
        }
        return 0;
    }
}
